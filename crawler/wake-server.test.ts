import { describe, expect, it } from 'vitest';
import { FolderQueue } from './wake-server';

const FOLDER = 'ephys/2017-07-07-e-upload';

/** A queue on a clock the test moves, and one pass over what is pending, with these folders indexed. */
function queueOnClock() {
  const clock = { now: 0 };
  const queue = new FolderQueue(() => clock.now);
  const pass = (indexed = true) => {
    const folders = queue.pending();
    queue.settle(folders, () => indexed);
    return folders;
  };
  return { clock, queue, pass };
}

describe('FolderQueue', () => {
  it("answers the site's repeat ask within 30 s from the last pass, then passes again", async () => {
    const { clock, queue, pass } = queueOnClock();
    const first = queue.ask(FOLDER)!;
    expect(pass(false)).toEqual([FOLDER]);
    expect(await first).toBe(false);
    clock.now = 29_000;
    expect(await queue.ask(FOLDER)).toBe(false);
    expect(pass()).toEqual([]);
    clock.now = 30_000;
    const again = queue.ask(FOLDER)!;
    expect(pass(true)).toEqual([FOLDER]);
    expect(await again).toBe(true);
  });

  it('never drops a change: one during a pass makes one more pass, however many arrive', () => {
    const { queue, pass } = queueOnClock();
    expect(queue.changed(FOLDER)).toBe(true);
    const folders = queue.pending();
    expect(folders).toEqual([FOLDER]);
    // Files uploaded while the pass lists the folder.
    for (let i = 0; i < 5; i++) expect(queue.changed(FOLDER)).toBe(true);
    queue.settle(folders, () => true);
    expect(pass()).toEqual([FOLDER]);
    expect(pass()).toEqual([]);
  });

  it('holds a change just after a pass back until 30 s after it, and says when to look again', () => {
    const { clock, queue, pass } = queueOnClock();
    queue.changed(FOLDER);
    pass();
    clock.now = 10_000;
    expect(queue.changed(FOLDER)).toBe(true);
    expect(queue.changed(FOLDER)).toBe(true);
    expect(pass()).toEqual([]);
    expect(queue.nextDueIn()).toBe(20_000);
    clock.now = 30_000;
    expect(queue.nextDueIn()).toBe(0);
    expect(pass()).toEqual([FOLDER]);
    expect(queue.nextDueIn()).toBeUndefined();
  });

  it('refuses more than 32 folders waiting at once, asked for or changed', () => {
    const { queue, pass } = queueOnClock();
    for (let i = 0; i < 32; i++) expect(queue.changed(`ephys/2017-07-07-e-upload_${i}`)).toBe(true);
    expect(queue.changed(FOLDER)).toBe(false);
    expect(queue.ask(FOLDER)).toBeUndefined();
    expect(pass()).toHaveLength(32);
    expect(queue.ask(FOLDER)).toBeInstanceOf(Promise);
  });
});
