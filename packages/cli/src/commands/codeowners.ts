import * as fs from 'node:fs';
import * as path from 'node:path';
import { CODEOWNERS_FILE, loadMesh, renderCodeowners } from '@data-mesh/spec';
import type { Command } from 'commander';
import { EXIT_CLEAN, UsageError, type Io } from '../io';
import { resolveRoot, rootOption } from '../options';

export function registerCodeowners(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('codeowners')
    .description(`write ${CODEOWNERS_FILE} from the domain map and platform.yaml`)
    .addOption(rootOption())
    .option('--stdout', 'print the file instead of writing it')
    .action((options: { root?: string; stdout?: boolean }) => {
      const root = resolveRoot(io, options.root);
      const mesh = loadMesh(root);
      if (!mesh.domainMap) throw new UsageError('the domain map cannot be read', 'run `mesh validate` to see why');
      const content = renderCodeowners(mesh);
      if (options.stdout) {
        io.stdout(content);
      } else {
        const target = path.join(root, CODEOWNERS_FILE);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, content);
        io.stdout(`wrote ${CODEOWNERS_FILE} (${mesh.domains.size} domains)\n`);
      }
      setExit(EXIT_CLEAN);
    });
}
