/** The CSV logs instruments leave in original/log/. */
import type { Experiment } from './catalog';
import type { ImagePlan } from './metadata-other';
import type { Recording } from './recordings';

const pad = (n: number): string => String(n).padStart(2, '0');

function clock(date: string, minutes: number, seconds = 0): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d, 0, minutes, seconds));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}`;
}

const minutesOf = (time: string): number => {
  const [h, m] = time.split(':').map(Number) as [number, number];
  return h * 60 + m;
};

/** Incubator and recording events around each recording. */
export function recordingLog(e: Experiment, recordings: Recording[]): string {
  const rng = e.rng('recording-log');
  const rows = ['timestamp,event,recording,chip,temperature_c,co2_pct'];
  for (const r of recordings) {
    const start = minutesOf(r.time);
    const seconds = Math.round(r.frames / r.sampleRate);
    const env = () => `${(36.6 + rng.range(0, 0.8)).toFixed(2)},${(4.8 + rng.range(0, 0.4)).toFixed(2)}`;
    rows.push(`${clock(r.date, start - 5)},config_loaded,${r.name},${r.chipId ?? ''},${env()}`);
    rows.push(`${clock(r.date, start)},recording_started,${r.name},${r.chipId ?? ''},${env()}`);
    for (let t = 60; t < Math.min(seconds, 1200); t += 60) rows.push(`${clock(r.date, start, t)},heartbeat,${r.name},${r.chipId ?? ''},${env()}`);
    rows.push(`${clock(r.date, start, seconds)},recording_stopped,${r.name},${r.chipId ?? ''},${env()}`);
  }
  return `${rows.join('\n')}\n`;
}

/** Pump actions of the Autoculture over two days. */
export function pumpLog(e: Experiment): string {
  const rng = e.rng('pump-log');
  const rows = ['timestamp,pump,well,volume_ul,direction,status'];
  const interval = rng.pick([6, 12]);
  for (let hour = 8; hour < 56; hour += interval) {
    // Wells are served one after another, two minutes apart.
    for (const [w, well] of ['A1', 'A2', 'A3', 'B1'].slice(0, rng.int(2, 4)).entries()) {
      const volume = rng.pick([150, 200, 400]);
      rows.push(`${clock(e.date, hour * 60 + 2 * w, rng.int(0, 40))},pump0,${well},${volume},aspirate,ok`);
      const status = rng.chance(0.04) ? 'bubble_detected' : 'ok';
      rows.push(`${clock(e.date, hour * 60 + 2 * w + 1, rng.int(0, 40))},pump1,${well},${volume},dispense,${status}`);
    }
  }
  return `${rows.join('\n')}\n`;
}

/** One line per captured frame. */
export function cameraLog(e: Experiment, images: ImagePlan[]): string {
  const rng = e.rng('camera-log');
  const rows = ['timestamp,file,well,z,exposure_ms,focus_score'];
  for (const image of images) {
    rows.push(
      `${image.time.replace('T', ' ').replace(/-(\d\d)-(\d\d)$/, ':$1:$2')},${image.path},${image.well},${image.z},${rng.int(8, 40)},${rng.range(0.4, 0.98).toFixed(3)}`,
    );
  }
  return `${rows.join('\n')}\n`;
}
