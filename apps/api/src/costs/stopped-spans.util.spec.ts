import { stoppedSpans, type StateEvent } from './stopped-spans.util.js';

const T0 = new Date('2026-11-01T00:00:00Z').getTime();
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const event = (minute: number, type: string, data: Record<string, unknown>): StateEvent => ({
  type,
  data,
  createdAt: at(minute),
});

describe('stoppedSpans', () => {
  it('runs from the stop step’s end to the next action', () => {
    const events = [
      event(0, 'state', { step: 'configure', state: 'running' }),
      event(10, 'action', { action: 'stop' }),
      event(11, 'instance.stopped', {}),
      event(12, 'state', { step: 'stop', state: 'stopped' }),
      event(30, 'action', { action: 'start' }),
      event(31, 'state', { step: 'start', state: 'running' }),
      event(40, 'action', { action: 'stop' }),
      event(41, 'state', { step: 'stop', state: 'stopped' }),
    ];
    expect(stoppedSpans(events)).toEqual([
      { from: at(12), to: at(30) },
      { from: at(41), to: null },
    ]);
  });

  it('stays stopped through a start that failed, and ends at terminate', () => {
    const events = [
      event(0, 'state', { step: 'stop', state: 'stopped' }),
      event(5, 'action', { action: 'start' }),
      event(6, 'step.failed', { step: 'start', state: 'stopped' }),
      event(9, 'action', { action: 'terminate' }),
      event(10, 'state', { step: 'terminate', state: 'terminated' }),
    ];
    expect(stoppedSpans(events)).toEqual([
      { from: at(0), to: at(5) },
      { from: at(6), to: at(9) },
    ]);
  });

  it('finds none in a deployment never stopped', () => {
    expect(stoppedSpans([event(0, 'state', { step: 'configure', state: 'running' })])).toEqual([]);
  });
});
