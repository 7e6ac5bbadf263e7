import type { LogLineView } from '@gantry/contract';
import { LogBuffer } from './log-buffer';

const line = (id: number, host?: string): LogLineView => ({
  id, ticketId: 1, step: 'release', host, stream: 'stdout', line: `line ${id}`, createdAt: '2026-01-01T12:00:00.000Z',
});

describe('LogBuffer', () => {
  it('publishes lines in batches, in order, without duplicates', () => {
    vi.useFakeTimers();
    try {
      const buffer = new LogBuffer(50);
      buffer.add([line(1), line(2)]);
      buffer.add(line(2));
      buffer.add(line(3, 'web1'));
      expect(buffer.size()).toBe(0);
      vi.advanceTimersByTime(60);
      expect(buffer.lines().map((l) => l.id)).toEqual([1, 2, 3]);
      expect(buffer.lastLineId).toBe(3);
      expect(buffer.hosts()).toEqual(['web1']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('takes 50,000 lines in one go', () => {
    const buffer = new LogBuffer();
    buffer.add(Array.from({ length: 50_000 }, (_, i) => line(i + 1, i % 2 ? 'web1' : 'web2')));
    buffer.flush();
    expect(buffer.size()).toBe(50_000);
    expect(buffer.hosts()).toEqual(['web1', 'web2']);
  });

  it('writes the log as text for a download', () => {
    expect(LogBuffer.toText([line(1, 'web1'), { ...line(2), stream: 'stderr' }])).toBe(
      '2026-01-01T12:00:00.000Z [web1] release: line 1\n2026-01-01T12:00:00.000Z release (stderr): line 2\n',
    );
    expect(LogBuffer.toText([])).toBe('');
  });
});
