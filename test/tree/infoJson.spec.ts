import { processInfoJson } from '../../src/tree/infoJson.js';
import { EMPTY_FILE_INFO, type ProcessInfo } from '../../src/tree/queries.js';

const info = (threadsIds: ReadonlyMap<number, number>, childProcessesIds: ReadonlyMap<number, number>): ProcessInfo => ({
  entityId: 1,
  pid: 10,
  nsPid: 10,
  ppid: 1,
  containerId: '',
  cmd: ['sh'],
  executionBinary: EMPTY_FILE_INFO,
  interpreter: EMPTY_FILE_INFO,
  interp: EMPTY_FILE_INFO,
  startTime: 1795582946601880723n,
  execTime: 0n,
  exitTime: undefined,
  parentEntityId: 0,
  threadsIds,
  childProcessesIds,
  isAlive: true,
  name: 'sh',
  spawnParentEntityId: 0,
  exitCode: undefined,
  userId: 0,
  groupId: 0,
  execInherited: false,
  placeholder: false,
});

describe('processInfoJson', () => {
  it('writes the id maps with keys in ascending numeric order, whatever order they were filled in', () => {
    const json = processInfoJson(
      info(
        new Map([
          [22532, 7],
          [11, 8],
        ]),
        new Map([
          [23352, 4220680845],
          [23943, 970313296],
          [20000, 2390199322],
          [9, 1],
        ]),
      ),
    );
    expect(json).toContain('"threadsIds":{"11":8,"22532":7}');
    expect(json).toContain('"childProcessesIds":{"9":1,"20000":2390199322,"23352":4220680845,"23943":970313296}');
    expect(JSON.parse(json)).toMatchObject({ pid: 10, threadsIds: { 11: 8, 22532: 7 } });
  });

  it('writes empty maps as {}', () => {
    expect(processInfoJson(info(new Map(), new Map()))).toContain('"threadsIds":{},"childProcessesIds":{}');
  });
});
