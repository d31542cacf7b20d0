import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { compareDiagnostics, summarize, type Diagnostic } from './diagnostics';
import { linkMesh, loadMesh, loadMeshFrame, loadProducts, productLocations } from './load';
import type { Mesh } from './mesh';
import { adoptShard, runMeshRules, runProductRules, type ShardInput, type ShardOutput } from './parallel/shard';
import type { MeshSource } from './source';

export interface ValidationSummary {
  readonly domains: number;
  readonly products: number;
  readonly errors: number;
  readonly warnings: number;
}

export interface ValidationResult {
  readonly mesh: Mesh;
  /** Sorted by file, line and column. */
  readonly diagnostics: readonly Diagnostic[];
  readonly summary: ValidationSummary;
  /** Threads the validation ran on. */
  readonly threads: number;
}

/** A validation result: the diagnostics sorted, the summary counted. */
export function validationResult(mesh: Mesh, diagnostics: Diagnostic[], threads = 1): ValidationResult {
  diagnostics.sort(compareDiagnostics);
  return { mesh, diagnostics, summary: { domains: mesh.domains.size, products: mesh.products.size + mesh.unreadableProducts.size, ...summarize(diagnostics) }, threads };
}

export interface ClockOptions {
  /** Today, for sunset dates (a deprecated source read after its sunset is an error). Default: now. */
  readonly now?: Date;
}

/** Runs every rule over a loaded mesh. */
export function validateLoadedMesh(mesh: Mesh, options: ClockOptions = {}): ValidationResult {
  const now = options.now ?? new Date();
  const diagnostics: Diagnostic[] = [];
  runProductRules(mesh, diagnostics, now);
  runMeshRules(mesh, diagnostics, now);
  return validationResult(mesh, diagnostics);
}

/** Loads the mesh under `root` and validates it, in this thread. */
export function validateMesh(root: string, options: { source?: MeshSource } & ClockOptions = {}): ValidationResult {
  return validateLoadedMesh(loadMesh(root, options), options);
}

export interface ParallelOptions extends ClockOptions {
  /** Threads to use, this one included. */
  readonly jobs: number;
  /** Fewer products than this per thread are not worth a thread's start-up. Default: 250. */
  readonly minProductsPerJob?: number;
}

const WORKER_SCRIPT = path.join(__dirname, 'parallel', 'shard-worker.js');
/** Products this thread validates while a worker starts (measured: a start costs about that many). */
const WORKER_HEAD_START = 600;

/**
 * Validates a mesh on the file system with several threads: each loads a share of the
 * products and runs the product-scoped rules on it; this thread then runs the rules that look
 * across products. Same result as `validateMesh`, in the same order.
 */
export async function validateMeshParallel(root: string, options: ParallelOptions): Promise<ValidationResult> {
  const now = options.now ?? new Date();
  const mesh = loadMeshFrame(root);
  const locations = productLocations(mesh);
  const jobs = Math.max(1, Math.min(options.jobs, Math.floor(locations.length / (options.minProductsPerJob ?? 250))));
  if (jobs === 1 || !fs.existsSync(WORKER_SCRIPT)) {
    loadProducts(mesh, locations);
    linkMesh(mesh);
    return validateLoadedMesh(mesh, { now });
  }
  // A worker spends its first few hundred milliseconds starting (modules, compiled JSON
  // Schemas), so this thread, already warm, takes a larger first share.
  const even = Math.ceil(locations.length / jobs);
  const first = Math.min(locations.length, even + Math.min(WORKER_HEAD_START, Math.floor(even / 2)));
  const share = Math.ceil((locations.length - first) / (jobs - 1));
  const domains = [...mesh.domains.values()];
  const workers = Array.from({ length: jobs - 1 }, (_, i) =>
    runShardInWorker({ root: mesh.root, domains, locations: locations.slice(first + i * share, first + (i + 1) * share), now: now.toISOString() }),
  );
  // This thread takes the first share while the workers start and take theirs.
  loadProducts(mesh, locations.slice(0, first));
  const diagnostics: Diagnostic[] = [];
  runProductRules(mesh, diagnostics, now);
  for (const shard of await Promise.all(workers)) {
    adoptShard(mesh, shard);
    diagnostics.push(...shard.diagnostics);
  }
  linkMesh(mesh);
  runMeshRules(mesh, diagnostics, now);
  return validationResult(mesh, diagnostics, jobs);
}

function runShardInWorker(input: ShardInput): Promise<ShardOutput> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SCRIPT, { workerData: input });
    worker.once('message', (output: ShardOutput) => resolve(output));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`a validation worker stopped (exit code ${code}) before it answered`)));
  });
}
