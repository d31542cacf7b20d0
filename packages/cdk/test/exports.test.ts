// One name, one meaning: a name exported by both @data-mesh/cdk and @data-mesh/schema-compat is
// one definition (re-exported), never two types that happen to share a name.
import * as path from 'node:path';
import * as ts from 'typescript';

const REPO = path.resolve(__dirname, '..', '..', '..');

it('@data-mesh/cdk exports no name of @data-mesh/schema-compat with another definition', () => {
  const entries = { cdk: path.join(REPO, 'packages/cdk/src/index.ts'), schemaCompat: path.join(REPO, 'packages/schema-compat/src/index.ts') };
  const program = ts.createProgram(Object.values(entries), { module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, target: ts.ScriptTarget.ES2022, noEmit: true, skipLibCheck: true, types: [] });
  const checker = program.getTypeChecker();
  const exported = (file: string) => {
    const symbol = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
    return new Map(checker.getExportsOfModule(symbol).map((s) => {
      const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
      const declaration = target.declarations?.[0];
      return [s.name, declaration ? `${path.relative(REPO, declaration.getSourceFile().fileName).replace(/\/(src|dist)\/.*$/, '')}:${target.name}` : s.name];
    }));
  };
  const cdk = exported(entries.cdk);
  const compat = exported(entries.schemaCompat);
  expect(cdk.size).toBeGreaterThan(50);
  const clashes = [...cdk].filter(([name, where]) => compat.has(name) && !where.startsWith('packages/schema-compat')).map(([name]) => name);
  expect(clashes).toEqual([]);
});
