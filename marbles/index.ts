/**
 * proctree-rx/marbles: build Tracee events for a simulated machine and test signatures and tree
 * operators in virtual time. See marbles/README.md.
 *
 * @module
 */
export { world } from './world.js';
export { World } from './world.js';
export { worldOf } from './world.js';
export type { ExecOptions, ExitOptions, ForkOptions, ProcessOptions, Spawned, SyscallOptions, Task, WorldOptions } from './world.js';
export { fork } from './events.js';
export { exec } from './events.js';
export { exit } from './events.js';
export { syscall } from './events.js';
export { signalFork } from './events.js';
export { signalExec } from './events.js';
export { signalExit } from './events.js';
export { createMarbleScheduler } from './marbleScheduler.js';
export { marbleTest } from './marbleScheduler.js';
export type { AssertDeepEqual, MarbleHelpers } from './marbleScheduler.js';
export { finding } from './findingMatchers.js';
export { summarizeFinding } from './findingMatchers.js';
export type { FindingExpectation, FindingSummary } from './findingMatchers.js';
export { collectFindings } from './collectFindings.js';
export { testSignature } from './testSignature.js';
export type { Diagram, TestSignatureOptions } from './testSignature.js';
export type { CollectOptions } from './collectFindings.js';
export { deepEqual } from './deepEqual.js';
export type { AsymmetricMatcher } from './deepEqual.js';
