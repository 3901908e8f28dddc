/**
 * Tree records: the normalised changes the pure reducers apply. Every feed — printed events,
 * signals, procfs, LRU eviction — is turned into these first, so the tree is a pure function of
 * its record sequence. All times are exact epoch ns (the clock of the events' `timestamp`).
 *
 * @module
 */
import type { EntityId, Nanos } from '../streams/types.js';

/** Where a record came from. */
export type RecordSource = 'event' | 'signal' | 'procfs' | 'lru';

/** A file as the tree stores it (Tracee's FileInfo feed). */
export interface FileRecord {
  readonly path: string;
  readonly dev: number;
  readonly inode: bigint;
  /** ns (the file's ctime as the kernel reports it). */
  readonly ctime: Nanos;
  readonly mode: number;
}

/** Ids of a task in the root and in its own pid namespace. */
export interface TaskIds {
  readonly tid: number;
  readonly nsTid: number;
  readonly pid: number;
  readonly nsPid: number;
}

/** A task is created by clone/fork. */
export interface ForkRecord {
  readonly kind: 'fork';
  readonly source: RecordSource;
  /** When the change happened (the event's timestamp). */
  readonly time: Nanos;
  /** The new task; `startTime` is epoch ns. */
  readonly child: TaskIds & { readonly id: EntityId; readonly startTime: Nanos };
  /** The child's thread-group leader (== `child.id` for a new process). */
  readonly leaderId: EntityId;
  /** True when the child is a thread of an existing group (CLONE_THREAD). */
  readonly isThread: boolean;
  /** The parent *process* of the child's group ("up parent"). */
  readonly parent: {
    readonly id: EntityId;
    readonly pid: number;
    readonly nsPid: number | undefined;
    readonly tid: number | undefined;
    readonly nsTid: number | undefined;
    /** Epoch ns, when known. */
    readonly startTime: Nanos | undefined;
  };
  /** comm the child inherits (the creator's), when known. */
  readonly name: string | undefined;
  readonly uid: number | undefined;
  readonly containerId: string | undefined;
}

/** A process executes a new program. */
export interface ExecRecord {
  readonly kind: 'exec';
  readonly source: RecordSource;
  readonly time: Nanos;
  /** The task that exec'd: after exec it is its group's leader, so this is also the process id. */
  readonly taskId: EntityId;
  /** Parent process id when the record carries one (events: `parentEntityId`; signals: `parent_hash`). */
  readonly parentId: EntityId | undefined;
  /** Ids and start from the event context, when present (events have them, signals do not). */
  readonly task: (TaskIds & { readonly ppid: number; readonly startTime: Nanos }) | undefined;
  /** comm after exec, when known. */
  readonly name: string | undefined;
  readonly cmdpath: string;
  readonly argv: readonly string[] | undefined;
  readonly executable: FileRecord;
  readonly interpreter: FileRecord | undefined;
  /** `bprm->interp` path. */
  readonly interp: string;
  readonly uid: number | undefined;
  readonly containerId: string | undefined;
}

/** A task exits. */
export interface ExitRecord {
  readonly kind: 'exit';
  readonly source: RecordSource;
  readonly time: Nanos;
  readonly taskId: EntityId;
  /** The task's process (leader) id when known. */
  readonly leaderId: EntityId | undefined;
  /**
   * Raw kernel wait status (`status << 8 | signal`) in every release's stream (v0.23+'s real
   * status and `signal_code` are re-encoded); `undefined` when the event's `exit_code` was
   * missing or malformed.
   */
  readonly exitCode: number | undefined;
  /** The whole thread group exits (`process_group_exit`). */
  readonly groupExit: boolean;
}

/** One task as read from procfs (start-up scan or runtime lookup). */
export interface ProcfsTaskRecord {
  readonly kind: 'procfs';
  readonly source: 'procfs';
  /** When it was read (epoch ns); the data is valid from `startTime` on. */
  readonly time: Nanos;
  readonly id: EntityId;
  /** The thread group leader's id (== `id` for a leader). */
  readonly leaderId: EntityId;
  /** The parent process's id (0 when the task has no parent, e.g. pid 1). */
  readonly parentId: EntityId;
  readonly ids: TaskIds;
  readonly ppid: number;
  readonly nsPpid: number | undefined;
  /** Epoch ns (procfs has 10 ms resolution). */
  readonly startTime: Nanos;
  readonly name: string;
  readonly uid: number | undefined;
  readonly gid: number | undefined;
  readonly executable: FileRecord | undefined;
  readonly argv: readonly string[] | undefined;
  /** True for a non-leader thread (`/proc/<pid>/task/<tid>` with tid ≠ pid). */
  readonly isThread: boolean;
  /** Set for a zombie (state `Z`): the task has exited, its exit time is unknown. */
  readonly zombie: boolean;
}

/** The LRU bound decided that an entity leaves the tree. */
export interface EvictRecord {
  readonly kind: 'evict';
  readonly source: 'lru';
  readonly time: Nanos;
  readonly entity: 'process' | 'thread';
  readonly id: EntityId;
}

/**
 * What any event's context says about the task that produced it (ids, comm, uid, current parent).
 * Fills placeholders, records comm / uid changes and reparenting; a no-op when nothing differs.
 */
export interface ContextRecord {
  readonly kind: 'context';
  readonly source: 'event';
  readonly time: Nanos;
  readonly threadId: EntityId;
  readonly processId: EntityId;
  /** Current parent process (`parentEntityId`), 0 when unknown. */
  readonly parentId: EntityId;
  readonly ids: TaskIds;
  /** Host pid of the current parent (`hostParentProcessId`). */
  readonly ppid: number;
  /** The thread's start (epoch ns), 0n when unknown. */
  readonly threadStartTime: Nanos;
  readonly name: string;
  readonly uid: number | undefined;
  readonly containerId: string;
}

/** Every change the tree knows how to apply. */
export type TreeRecord = ForkRecord | ExecRecord | ExitRecord | ProcfsTaskRecord | EvictRecord | ContextRecord;
