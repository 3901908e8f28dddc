/**
 * The help texts of `proctree-rx`: general, per command, and `--proctree help`.
 *
 * @module
 */
import type { CommandName } from './cliTypes.js';
import { MAX_CACHE_SIZE, MIN_CACHE_SIZE, PROCTREE_DEFAULTS } from './parseProctreeOptions.js';

const PROCFS_RULE = `procfs (this host's /proc):
  Replaying files never mixes in this host's /proc: a capture from another machine or another
  time would get the wrong processes. procfs is read only when you ask for it or the input is live:
    - --procfs-root DIR          read procfs from DIR (e.g. a copy saved with the capture), also
                                 when replaying files (startup walk only: no runtime queries);
    - input is stdin or a FIFO   (live piping, e.g. tracee --output json | proctree-rx): the tree
                                 starts from a walk of /proc and asks /proc about unknown parents,
                                 unless --proctree disable-procfs (no walk, no queries) or
                                 disable-procfs-query (walk only).
  Stdin redirected from a regular file (proctree-rx < capture.ndjson) counts as a file. With
  several inputs, procfs is live only if every input is live.`;

const COMMON_OPTIONS = `Options for every command:
  -t, --proctree OPTS       process-tree options, repeatable, comma-separated
                            (see: proctree-rx --proctree help). Default: source=events
  --procfs-root DIR         read procfs from DIR (see "procfs" below)
  --quiet                   no progress line, summary or warnings (bad lines still reported)
  --stats                   print counts at the end
  --strict                  exit 1 if any input line was bad (default: skip it, exit 0)
  -h, --help                this help; proctree-rx COMMAND --help for a command's help
  --version                 print the version`;

const STREAM_OPTIONS = `Options for commands that read events:
  --signals FILE            also read signal lines from FILE (- = stdin); use with
                            --proctree source=signals or source=both
  --reorder-window DURATION how long to wait for late events before ordering them by
                            time: 500ms, 2s, 1500us, 0 (no waiting). Default: 1s for
                            live input (stdin, a FIFO); files are sorted fully
  --reorder-bytes SIZE      most memory the reorder window holds before its earliest events
                            leave early (each event counts twice its line's length plus 256
                            bytes): 16MiB by default, files included (their measured
                            window sorts them exactly below it); 512KiB, 1GiB, 0 = none
  --issues FILE             also write every reported input problem to FILE, one NDJSON line
                            each: {"file":…,"line":N,"severity":"error"|"warning","reason":…};
                            no cap (stderr shows the first 100 and counts the rest)
  --tracee-format NAME      read the inputs as this Tracee release's JSON (v0.10, v0.11,
                            v0.13, v0.15, v0.18, v0.20, v0.22.0, v0.22.3, v0.22.6, v0.23,
                            v0.24, main); default: detected per input from its first lines
  --from-snapshot FILE      start from the tree of a checkpoint (snapshot --out) and skip the
                            input events it already holds (no procfs walk)`;

const EXIT_CODES = `Bad input: a line that is not a JSON object with an integer "timestamp", is not valid UTF-8,
or gives a pid, tid or time outside the kernel's ranges (pids and tids 0 to 4194303, times 0 to
2^64-1 ns) is reported as FILE:LINE: reason on stderr and skipped; every other line is passed
through byte for byte. Control characters in reported text are shown escaped (\\x1b).

Exit codes: 0 ok (bad input lines are reported on stderr and skipped), 1 runtime failure
(or bad lines with --strict, or a signature error in findings; a failed write such as a full
disk: one line on stderr), 2 usage error, 130 / 143 after SIGINT / SIGTERM (the run stops
within a second: complete lines written, summary printed; a second signal kills). A reader that
goes away (| head) ends the run quietly, 0.`;

const GENERAL = `proctree-rx - a live, versioned process tree from Tracee events

Usage:
  proctree-rx [COMMAND] [OPTIONS] [FILE...]

FILE is an NDJSON stream from \`tracee --output json\`; - or no FILE reads stdin.

Commands:
  enrich     (default) print each event with its process context from the tree
  query      answer as-of queries (process, thread, lineage at a time) from --queries QFILE
  tree       print the process tree at the end of the input, or as of --at T
  snapshot   print the process tree this host's /proc (or --procfs-root) describes now, or
             save a tree as a checkpoint (--out FILE) that --from-snapshot resumes
  publish    send this host's Tracee events to NATS JetStream (proctree-rx publish --help)
  serve      a fleet worker: enrich many hosts' events from NATS JetStream (serve --help)
  findings   run detection signatures, print their findings

proctree-rx builds its tree from Tracee's lifecycle events by default (--proctree source=events),
where Tracee's own default is source=none. Use --proctree source=none to pass events through
without a tree, source=signals or source=both to feed it from signal lines (--signals FILE).

${COMMON_OPTIONS}

${STREAM_OPTIONS}

${PROCFS_RULE}

Examples:
  tracee --output json | proctree-rx
  proctree-rx capture.ndjson > enriched.ndjson
  proctree-rx tree --format dot capture.ndjson | dot -Tsvg > tree.svg
  proctree-rx tree --at 1696266003602899000 capture.ndjson
  proctree-rx --proctree source=both --signals signals.ndjson capture.ndjson
  proctree-rx findings --signatures PRX-001,PRX-002 capture.ndjson

${EXIT_CODES}`;

const COMMANDS: Readonly<Record<CommandName, string>> = {
  enrich: `proctree-rx enrich - print each event with its process context (the default command)

Usage:
  proctree-rx [enrich] [OPTIONS] [FILE...]

Reads Tracee events (NDJSON; - or no FILE = stdin), orders them by time, feeds the process tree
(default --proctree source=events) and prints every event as it came in, digit for digit, with
its process context. With --proctree source=none, events pass through without context.

  --artifacts               also keep what each process did (files, network, DNS, executions,
                            modules, credential changes, ptrace, per-event counts) and add
                            "artifacts":{"counts":{…}} to each line's context, with "all":{…}
                            (every artifact, as of the exit) on the process's exit line

${STREAM_OPTIONS}

${COMMON_OPTIONS}

${PROCFS_RULE}

Examples:
  tracee --output json | proctree-rx
  proctree-rx capture.ndjson > enriched.ndjson

${EXIT_CODES}`,

  query: `proctree-rx query - answer as-of queries against the process tree

Usage:
  proctree-rx query --queries QFILE [OPTIONS] [FILE...]

  --queries QFILE           the queries to answer (required)
  --artifacts               answers carry "artifacts" (what each process did), as of the
                            query time; exact while the changes since are retained (65536
                            changes), else "complete":false and as of the oldest time still
                            exact (its "time")

${STREAM_OPTIONS}

${COMMON_OPTIONS}

${PROCFS_RULE}

Example:
  proctree-rx query --queries queries.ndjson capture.ndjson

${EXIT_CODES}`,

  tree: `proctree-rx tree - print the process tree

Usage:
  proctree-rx tree [--at T] [--format text|json|dot|html] [OPTIONS] [FILE...]

  --at T                    the tree as of T: exact integer nanoseconds since the epoch (the
                            clock of the events' timestamp). Default: the end of the input.
                            With html: where the time cursor starts
  --format FORMAT           text (default), json, dot (for Graphviz) or html: a self-contained
                            timeline page of the whole capture (one lane per process, a time
                            cursor with the tree as of it, search, findings; opens from file://)
  --from T, --to T          html: only processes alive in [T, T'] (a large capture's page holds
                            the first 20000 processes by start time, and says so)
  --signatures ID,...       html: run these signatures and mark their findings on the lanes
  --signature-module FILE   html: load signatures from an ES module (repeatable; see findings)
  --artifacts               text: one line of what each process did under it (files written,
                            peers, DNS names, …); json: "artifacts" on each process

${STREAM_OPTIONS}

${COMMON_OPTIONS}

${PROCFS_RULE}

Examples:
  proctree-rx tree capture.ndjson
  proctree-rx tree --format dot capture.ndjson | dot -Tsvg > tree.svg
  proctree-rx tree --at 1696266003602899000 --format json capture.ndjson
  proctree-rx tree --format html --signatures PRX-001,PRX-002 capture.ndjson > tree.html

${EXIT_CODES}`,

  snapshot: `proctree-rx snapshot - print the process tree procfs describes now

Usage:
  proctree-rx snapshot [--procfs-root DIR] [--format text|json|dot] [OPTIONS]
  proctree-rx snapshot --out FILE [--at T] [--from-snapshot FILE] [FILE...]

Walks /proc (or DIR) once and prints the tree. Reads no events. With --out FILE the tree is
saved there as a checkpoint (gzip NDJSON, format 1) instead; with event FILEs too, the tree is
the one they build (up to --at T), and --from-snapshot FILE resumes from it later.

  --procfs-root DIR         procfs to read (default /proc)
  --format text|json|dot    output format (default text)
  --out FILE                write the tree as a checkpoint to FILE
  --at T                    with --out and FILEs: replay the events at or before T (epoch ns)
  --from-snapshot FILE      with --out: start from this checkpoint (then its FILEs continue it)

${COMMON_OPTIONS}

Examples:
  proctree-rx snapshot
  proctree-rx snapshot --procfs-root /host/proc --format json
  proctree-rx snapshot --out tree.ckpt --at 1696266003602899000 capture.ndjson
  proctree-rx enrich --from-snapshot tree.ckpt capture.ndjson

${EXIT_CODES}`,

  findings: `proctree-rx findings - run detection signatures, print their findings

Usage:
  proctree-rx findings [--signatures ID,ID...] [--signature-module FILE]... [OPTIONS] [FILE...]

  --signatures ID,ID...     run only these signatures. Default: the detections PRX-001 (shell
                            under a server), PRX-002 (exec from a temp dir, memfd, deleted file),
                            PRX-003 (script from a writable dir), PRX-004 (orphan connects out),
                            PRX-005 (shell after its lineage connected out: reverse shell),
                            PRX-006 (binary written by one process, run by another: dropper),
                            and every signature of the --signature-module files. Opt-in:
                            PROCTREE_DATA_SOURCE, the tree's self-check (prints a finding only
                            where the tree disagrees with an exec event)
  --signature-module FILE   load signatures from an ES module (repeatable): every export that
                            is a Tracee-style Signature (object or class), a SignatureOperator,
                            or an array of them. A module that cannot be loaded, exports no
                            signature, or reuses an id is a usage error (exit 2)

A signature that throws does not stop the run: each error is printed as
  signature ID failed on FILE:LINE: <error>
counted in the summary, and the exit code is 1 at the end. Events whose arguments are
malformed (null entries, wrong types) are reported as FILE:LINE: warning: lines and read
without those arguments.

${STREAM_OPTIONS}

${COMMON_OPTIONS}

${PROCFS_RULE}

Examples:
  tracee --output json | proctree-rx findings
  proctree-rx findings --signatures PRX-001,PRX-002 capture.ndjson
  proctree-rx findings --signature-module ./rules.js --signature-module ./more.js capture.ndjson
  proctree-rx findings --signatures PROCTREE_DATA_SOURCE capture.ndjson

${EXIT_CODES}`,
};

const PROCTREE = `--proctree OPTS: process-tree options (the syntax of Tracee's --proctree)

Options can be joined with commas or given by repeating the flag; for a repeated option the
last one wins:
  --proctree source=both,process-cache=${PROCTREE_DEFAULTS.processCacheSize}
  --proctree process-cache=65536 --proctree thread-cache=131072

  source=none|events|signals|both
      where the tree comes from. events (the default here; Tracee's default is none): the
      sched_process_fork/exec/exit events of the input. signals: signal lines (--signals FILE).
      both: both, each change applied once. none: no tree; events pass through without
      context. A bare "none" means source=none.
  process-cache=N   how many processes the tree keeps (LRU; default ${PROCTREE_DEFAULTS.processCacheSize})
  thread-cache=N    how many threads the tree keeps (LRU; default ${PROCTREE_DEFAULTS.threadCacheSize})
                    Sizes under ${MIN_CACHE_SIZE} keep the default, as in Tracee (with a warning);
                    the maximum is ${MAX_CACHE_SIZE}.
  disable-procfs        never read procfs (no startup walk, no runtime queries)
  disable-procfs-query  walk procfs at startup, but do not query it at runtime
  help                  this text

procfs is only ever read for live input or with --procfs-root; see proctree-rx --help.`;

/**
 * The help text for a topic: a command, `'proctree'` (what `--proctree help` prints), or
 * `undefined` for the general help. Ends without a newline.
 *
 * @example
 * ```ts
 * import { helpText } from './help.js';
 * process.stdout.write(helpText('tree') + '\n');
 * ```
 */
export function helpText(topic: CommandName | 'proctree' | undefined): string {
  if (topic === undefined) return GENERAL;
  if (topic === 'proctree') return PROCTREE;
  return COMMANDS[topic];
}
