import { parentPort, workerData } from 'node:worker_threads';
import { validateShard, type ShardInput } from './shard';

// A worker thread of `validateMeshParallel`: validates one shard and sends the result back.
parentPort?.postMessage(validateShard(workerData as ShardInput));
