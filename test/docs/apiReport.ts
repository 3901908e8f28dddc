/**
 * The API report: every name `proctree-rx` and `proctree-rx/marbles` export, with its kind, read
 * with the TypeScript checker from the entry points; and the types an export mentions that no
 * entry point exports (a user could not name them).
 */
import { join, resolve } from 'node:path';
import ts from 'typescript';

export const ROOT = resolve(__dirname, '..', '..');
/** The checked-in report. */
export const REPORT_PATH = join(ROOT, 'etc', 'api-report.md');

/** Entry points of the package and their import names. */
export const ENTRY_POINTS: readonly (readonly [specifier: string, file: string])[] = [
  ['proctree-rx', join(ROOT, 'src', 'index.ts')],
  ['proctree-rx/marbles', join(ROOT, 'marbles', 'index.ts')],
];

/** One exported name. */
export interface ApiEntry {
  readonly name: string;
  readonly kind: 'function' | 'class' | 'const' | 'interface' | 'type' | 'enum' | 'namespace';
}

const isValueKind = (kind: ApiEntry['kind']): boolean => kind === 'function' || kind === 'class' || kind === 'const' || kind === 'enum' || kind === 'namespace';

function kindOf(symbol: ts.Symbol): ApiEntry['kind'] {
  const f = symbol.flags;
  if (f & ts.SymbolFlags.Class) return 'class';
  if (f & ts.SymbolFlags.Function) return 'function';
  if (f & ts.SymbolFlags.Enum) return 'enum';
  if (f & ts.SymbolFlags.Variable) return 'const';
  if (f & ts.SymbolFlags.Interface) return 'interface';
  if (f & ts.SymbolFlags.TypeAlias) return 'type';
  return 'namespace';
}

function program(): ts.Program {
  const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
  return ts.createProgram({ rootNames: ENTRY_POINTS.map(([, f]) => f), options: { ...config.options, noEmit: true } });
}

const resolveAlias = (checker: ts.TypeChecker, s: ts.Symbol): ts.Symbol => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);

/** What the entry points export, and the types their exports mention without exporting. */
export function readApi(): { readonly entries: ReadonlyMap<string, readonly ApiEntry[]>; readonly unexported: readonly string[] } {
  const prog = program();
  const checker = prog.getTypeChecker();
  const entries = new Map<string, ApiEntry[]>();
  const exportedSymbols = new Set<ts.Symbol>();
  const roots: [string, ts.Symbol][] = [];
  for (const [specifier, file] of ENTRY_POINTS) {
    const source = prog.getSourceFile(file)!;
    const moduleSymbol = checker.getSymbolAtLocation(source)!;
    const list: ApiEntry[] = [];
    for (const s of checker.getExportsOfModule(moduleSymbol)) {
      const target = resolveAlias(checker, s);
      exportedSymbols.add(target);
      roots.push([`${specifier}: ${s.name}`, target]);
      list.push({ name: s.name, kind: kindOf(target) });
    }
    list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    entries.set(specifier, list);
  }
  // the types each export's declarations mention (signatures, members, aliases), outside node_modules
  const unexported = new Set<string>();
  const visit = (where: string, node: ts.Node): void => {
    if (ts.isTypeReferenceNode(node) || ts.isExpressionWithTypeArguments(node) || ts.isTypeQueryNode(node)) {
      const nameNode = ts.isTypeReferenceNode(node) ? node.typeName : ts.isTypeQueryNode(node) ? node.exprName : node.expression;
      const s = checker.getSymbolAtLocation(ts.isQualifiedName(nameNode) ? nameNode.right : nameNode);
      if (s !== undefined) {
        const target = resolveAlias(checker, s);
        const decl = target.declarations?.[0];
        const file = decl?.getSourceFile().fileName ?? '';
        const ours = file.startsWith(ROOT) && !file.includes('/node_modules/');
        if (ours && !(target.flags & ts.SymbolFlags.TypeParameter) && !exportedSymbols.has(target) && !isInternal(decl)) {
          unexported.add(`${where} mentions ${target.name} (${file.slice(ROOT.length + 1)})`);
        }
      }
    }
    // bodies and initialisers are not part of the API
    if (ts.isBlock(node)) return;
    ts.forEachChild(node, (child) => {
      if ((ts.isVariableDeclaration(node) || ts.isPropertyDeclaration(node) || ts.isParameter(node)) && child === node.initializer) return;
      if (isPrivate(child)) return;
      visit(where, child);
    });
  };
  for (const [where, symbol] of roots) for (const decl of symbol.declarations ?? []) visit(where, decl);
  return { entries, unexported: [...unexported].sort() };
}

const isInternal = (decl: ts.Node | undefined): boolean => decl !== undefined && ts.getJSDocTags(decl).some((t) => t.tagName.text === 'internal');

const isPrivate = (node: ts.Node): boolean =>
  (ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.PrivateKeyword)) ||
  ((ts.isPropertyDeclaration(node) || ts.isMethodDeclaration(node)) && ts.isPrivateIdentifier(node.name)) ||
  isInternal(node);

/** The report's text: per entry point, the count of value exports, then each name and kind. */
export function renderReport(entries: ReadonlyMap<string, readonly ApiEntry[]>): string {
  const out = [
    '# API report',
    '',
    'Every name the package exports, with its kind. Generated by `npm run api-report`; a test',
    '(`test/docs/apiReport.spec.ts`) fails when the exports change and this file was not updated.',
    '`proctree-rx/internals` is not listed: it is not a stable API.',
  ];
  for (const [specifier, list] of entries) {
    const values = list.filter((e) => isValueKind(e.kind)).length;
    out.push('', `## ${specifier}`, '', `${values} value exports, ${list.length - values} type exports.`, '', '```');
    for (const e of list) out.push(`${e.kind.padEnd(9)} ${e.name}`);
    out.push('```');
  }
  return out.join('\n') + '\n';
}
