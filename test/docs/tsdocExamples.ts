/**
 * Extracts the ```ts `@example` blocks of the public API (every export of `src/index.ts` and
 * `marbles/index.ts`, followed through barrels, and the members of exported classes and
 * interfaces) and type-checks each as a module of its own, with `proctree-rx` and
 * `proctree-rx/marbles` resolved to the sources. Names an example uses without defining
 * (`events$`, `builder`, `META`, …) are declared from {@link AMBIENT} when the block does not
 * declare them itself.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export const ROOT = resolve(__dirname, '..', '..');
const ENTRY_POINTS = [join(ROOT, 'src', 'index.ts'), join(ROOT, 'marbles', 'index.ts')];

/** One example block: where it is documented and its code. */
export interface ExampleBlock {
  /** `src/signatures/fromSignature.ts: fromSignature #1`. */
  readonly label: string;
  readonly code: string;
}

/**
 * What an example may use without defining it, as declarations. `P` is `proctree-rx`, `M`
 * `proctree-rx/marbles`, `Rx` `rxjs`; all three are namespace imports, so an example that imports
 * the same names itself does not clash.
 */
export const AMBIENT: Readonly<Record<string, string>> = {
  events$: 'Rx.Observable<P.Envelope>',
  enriched$: 'Rx.Observable<P.EnrichedEnvelope>',
  findings$: 'Rx.Observable<P.Finding>',
  issues$: 'Rx.Observable<P.InputIssue>',
  envelopes: 'readonly P.Envelope[]',
  envelope: 'P.Envelope',
  enriched: 'P.EnrichedEnvelope',
  event: 'P.TraceeEvent',
  records: 'readonly P.TreeRecord[]',
  record: 'P.TreeRecord',
  tree: 'P.ProcessTree',
  history: 'P.StoreHistory',
  builder: 'P.TreeBuilder',
  META: 'P.SignatureMetadata',
  line: 'string',
  entityId: 'P.EntityId',
  id: 'P.EntityId',
  t: 'P.Nanos',
  time: 'P.Nanos',
  pid: 'number',
  sig: 'P.AnySignature',
  signature: 'P.AnySignature',
  w: 'M.World',
  bash: 'M.Task',
  sh: 'M.Task',
  ls: 'M.Task',
  task: 'M.Task',
  scheduler: 'import("rxjs/testing").TestScheduler',
  path: 'string',
  raw: 'string',
  handle: '(e: P.Envelope) => void',
  findings: 'readonly P.Finding[]',
  envelopes$: 'Rx.Observable<P.Envelope>',
  fileEnvelopes$: 'Rx.Observable<P.Envelope>',
  signals$: 'Rx.Observable<P.Envelope>',
  warn: '(...what: unknown[]) => void',
  recordsOfOneChunk: 'readonly P.TreeRecord[]',
  execRecord: 'P.ExecRecord',
  forkRecord: 'P.ForkRecord',
  forkEvent: 'P.Envelope',
  execEvent: 'P.Envelope',
  expectFindings: 'M.MarbleHelpers["expectFindings"]',
};

/** The names each entry point exports (read from its `export { … }` lines). */
function exportedNames(entry: string): string[] {
  const source = ts.createSourceFile(entry, readFileSync(entry, 'utf8'), ts.ScriptTarget.ES2022, true);
  return source.statements.flatMap((stmt) =>
    ts.isExportDeclaration(stmt) && stmt.exportClause !== undefined && ts.isNamedExports(stmt.exportClause) ? stmt.exportClause.elements.map((el) => el.name.text) : [],
  );
}

/** The files an entry point re-exports from, with the names taken from each (`*` = all). */
function reexports(file: string, names: ReadonlySet<string> | '*', out: Map<string, Set<string> | '*'>): void {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const own = out.get(file);
  if (own !== '*') out.set(file, names === '*' ? '*' : new Set([...(own ?? []), ...names]));
  for (const stmt of source.statements) {
    if (!ts.isExportDeclaration(stmt) || stmt.moduleSpecifier === undefined || !ts.isStringLiteral(stmt.moduleSpecifier)) continue;
    // re-exports of dependencies (fp-ts helpers) carry their own docs
    if (!stmt.moduleSpecifier.text.startsWith('.')) continue;
    const target = resolve(dirname(file), stmt.moduleSpecifier.text.replace(/\.js$/, '.ts'));
    if (stmt.exportClause === undefined) {
      reexports(target, '*', out);
      continue;
    }
    if (!ts.isNamedExports(stmt.exportClause)) continue;
    const taken = stmt.exportClause.elements
      .map((el) => (el.propertyName ?? el.name).text)
      .filter((name) => names === '*' || names.has(name) || isEntryPoint(file));
    reexports(target, new Set(taken), out);
  }
}

const isEntryPoint = (file: string): boolean => ENTRY_POINTS.includes(file);

/** The ```ts blocks of the `@example` tags of a node's JSDoc. */
function examplesOf(node: ts.Node): string[] {
  const blocks: string[] = [];
  for (const tag of ts.getJSDocTags(node)) {
    if (tag.tagName.text !== 'example') continue;
    const text = typeof tag.comment === 'string' ? tag.comment : ts.getTextOfJSDocComment(tag.comment) ?? '';
    for (const m of text.matchAll(/```ts\n([\s\S]*?)```/g)) blocks.push(m[1]!);
  }
  return blocks;
}

const nameOf = (node: ts.Node): string | undefined => {
  const name = (node as { name?: ts.Node }).name;
  return name !== undefined && (ts.isIdentifier(name) || ts.isStringLiteral(name)) ? name.text : undefined;
};

/** Every example of the public API, in file order. */
export function publicExamples(): ExampleBlock[] {
  const files = new Map<string, Set<string> | '*'>();
  for (const entry of ENTRY_POINTS) reexports(entry, '*', files);
  const out: ExampleBlock[] = [];
  for (const [file, names] of files) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const rel = relative(ROOT, file);
    const add = (label: string, node: ts.Node): void => {
      examplesOf(node).forEach((code, i) => out.push({ label: `${rel}: ${label} #${i + 1}`, code }));
    };
    const exported = (name: string | undefined): boolean => name !== undefined && (names === '*' || names.has(name));
    for (const stmt of source.statements) {
      if (ts.isVariableStatement(stmt)) {
        for (const d of stmt.declarationList.declarations) if (exported(nameOf(d))) add(nameOf(d)!, stmt);
        continue;
      }
      const name = nameOf(stmt);
      if (!exported(name)) continue;
      add(name!, stmt);
      if (ts.isClassDeclaration(stmt) || ts.isInterfaceDeclaration(stmt)) {
        for (const member of stmt.members) {
          const m = nameOf(member);
          if (m !== undefined) add(`${name}.${m}`, member);
        }
      }
    }
  }
  return out;
}

/** Names a block declares at its top level (imports, variables, functions, classes, types). */
function topLevelNames(code: string): Set<string> {
  const source = ts.createSourceFile('block.ts', code, ts.ScriptTarget.ES2022, true);
  const names = new Set<string>();
  const bind = (n: ts.BindingName): void => {
    if (ts.isIdentifier(n)) names.add(n.text);
    else for (const el of n.elements) if (!ts.isOmittedExpression(el)) bind(el.name);
  };
  for (const stmt of source.statements) {
    if (ts.isImportDeclaration(stmt)) {
      const clause = stmt.importClause;
      if (clause?.name) names.add(clause.name.text);
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) names.add(bindings.name.text);
      if (bindings && ts.isNamedImports(bindings)) for (const el of bindings.elements) names.add(el.name.text);
    } else if (ts.isVariableStatement(stmt)) {
      for (const d of stmt.declarationList.declarations) bind(d.name);
    } else {
      const name = nameOf(stmt);
      if (name !== undefined) names.add(name);
    }
  }
  return names;
}

/** `code` mentions `name` as a variable (not as a property: `x.name`; a spread `...name` counts). */
const uses = (code: string, name: string): boolean => new RegExp(`(?<![\\w$])(?<!(?<!\\.\\.)\\.)${name.replace(/\$/g, '\\$')}(?![\\w$])`).test(code);

/**
 * The block as a module: the public names it uses but neither imports nor declares are imported
 * from their entry point (an example may leave its import line out; a name that is not exported
 * stays an error), the other free names it uses are declared from {@link AMBIENT}, then the code.
 */
export function moduleText(code: string): string {
  const declared = topLevelNames(code);
  const free = (name: string): boolean => !declared.has(name) && uses(code, name);
  const imports = ENTRY_POINTS.map((entry, i) => {
    const names = exportedNames(entry).filter(free);
    return names.length === 0 ? '' : `import { ${names.join(', ')} } from '${i === 0 ? 'proctree-rx' : 'proctree-rx/marbles'}';`;
  });
  const ambient = Object.entries(AMBIENT)
    .filter(([name]) => free(name))
    .map(([name, type]) => `declare const ${name}: ${type};`);
  return [
    "import type * as P from 'proctree-rx';",
    "import type * as M from 'proctree-rx/marbles';",
    "import type * as Rx from 'rxjs';",
    ...imports.filter((l) => l !== ''),
    ...ambient,
    code,
    'export {};',
  ].join('\n');
}

/** Type-checks every block; returns `label: message` for each diagnostic (empty when all compile). */
export function checkExamples(blocks: readonly ExampleBlock[]): string[] {
  const dir = join(ROOT, 'test', 'docs', '__examples__');
  const virtual = new Map(blocks.map((b, i) => [join(dir, `example${i}.ts`), b] as const));
  const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
  const options: ts.CompilerOptions = {
    ...config.options,
    noEmit: true,
    paths: { 'proctree-rx': ['./src/index.ts'], 'proctree-rx/marbles': ['./marbles/index.ts'] },
  };
  const host = ts.createCompilerHost(options);
  const texts = new Map([...virtual].map(([path, b]) => [path, moduleText(b.code)]));
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, onError, create) => {
    const text = texts.get(name);
    return text !== undefined ? ts.createSourceFile(name, text, version) : getSourceFile(name, version, onError, create);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => texts.has(name) || fileExists(name);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => texts.get(name) ?? readFile(name);
  const program = ts.createProgram({ rootNames: [...virtual.keys()], options, host });
  const out: string[] = [];
  for (const [path, block] of virtual) {
    const file = program.getSourceFile(path)!;
    for (const d of [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)]) {
      out.push(`${block.label}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    }
  }
  return out;
}
