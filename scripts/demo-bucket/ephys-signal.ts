/**
 * Synthetic extracellular recording: what a linear probe or MEA sees, generated slab by slab so a
 * recording of any length never has to sit in memory.
 *
 * Per channel: amplifier (white) noise, band-limited background activity, a shared slow LFP with
 * per-channel gain, a little 60 Hz mains pickup, and spikes from simulated units whose waveform
 * spreads to neighbouring channels. Units fire as Poisson processes plus network bursts, the
 * pattern organoids and 4-AP slices show, and each burst also drags the LFP down.
 */
import { Rng } from './prng';

export interface SignalSpec {
  seed: string;
  channels: number;
  sampleRate: number;
  frames: number;
  /** Volts per stored integer step (NWB `conversion`). */
  conversion: number;
  units: number;
  /** Mean seconds between network bursts; 0 for none. */
  burstIntervalS: number;
}

export interface SimulatedUnit {
  id: number;
  channel: number;
  amplitudeUv: number;
  label: 'good' | 'mua';
  /** Spike times in frames, ascending. */
  spikeFrames: Int32Array;
}

interface Burst {
  start: number;
  length: number;
  depthUv: number;
}

const WAVEFORM_MS = 2.4;
const PEAK_AT_MS = 0.8;
const REFRACTORY_MS = 2;
const BLOCK_FRAMES = 512;

/** Biphasic extracellular action potential, trough normalised to -1. */
export function waveform(sampleRate: number): Float32Array {
  const n = Math.round((WAVEFORM_MS / 1000) * sampleRate);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = (i / sampleRate) * 1000 - PEAK_AT_MS;
    out[i] = -Math.exp(-((t / 0.13) ** 2)) + 0.32 * Math.exp(-(((t - 0.45) / 0.28) ** 2));
  }
  return out;
}

/** Acklam's rational approximation of the standard normal quantile function. */
function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = d as [number, number, number, number];
  const tail = (q: number) => (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) / (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1);
}

/**
 * 65,536 equiprobable normal values: one 32-bit random word then yields two normal samples by
 * table lookup, which is what makes ~100 million samples per recording affordable.
 */
const NORMAL_TABLE = Float32Array.from({ length: 65536 }, (_, i) => normalQuantile((i + 0.5) / 65536));

function poissonTrain(rng: Rng, rateHz: number, fromS: number, toS: number, into: number[]): void {
  if (rateHz <= 0) return;
  for (let t = fromS + rng.exponential(1 / rateHz); t < toS; t += rng.exponential(1 / rateHz)) into.push(t);
}

export class SyntheticEphys {
  readonly units: SimulatedUnit[] = [];
  private readonly bursts: Burst[] = [];
  private readonly template: Float32Array;
  private readonly preFrames: number;
  // Spike events of all units merged in time order, for slab-by-slab rendering.
  private readonly eventFrames: Int32Array;
  private readonly eventUnits: Uint16Array;
  private readonly eventScale: Float32Array;
  private eventCursor = 0;
  private burstCursor = 0;
  private nextFrame = 0;
  private readonly noise: Rng;
  // Per-channel filter state and gains.
  private readonly bp: Float64Array;
  private readonly whiteUv: Float32Array;
  private readonly backgroundUv: Float32Array;
  private readonly lfpGain: Float32Array;
  // Mains pickup A·sin(ωt + φ), expanded so the hot loop needs no per-channel sin().
  private readonly lineCosPhase: Float32Array;
  private readonly lineSinPhase: Float32Array;
  private lfp1 = 0;
  private lfp2 = 0;
  private readonly bq: { b0: number; b2: number; a1: number; a2: number };
  private readonly lfpAlpha: number;

  constructor(readonly spec: SignalSpec) {
    const rng = new Rng(spec.seed);
    this.noise = rng.fork('noise');
    this.template = waveform(spec.sampleRate);
    this.preFrames = Math.round((PEAK_AT_MS / 1000) * spec.sampleRate);
    this.planBursts(rng.fork('bursts'));
    this.planUnits(rng.fork('units'));

    // Merge all units' spikes in time order. Sorting packed (frame, unit) keys in a Float64Array
    // avoids a comparator over tuples, which dominated generation time for long recordings.
    const total = this.units.reduce((n, u) => n + u.spikeFrames.length, 0);
    const keys = new Float64Array(total);
    let k = 0;
    for (const [u, unit] of this.units.entries()) for (const frame of unit.spikeFrames) keys[k++] = frame * 65536 + u;
    keys.sort();
    this.eventFrames = Int32Array.from(keys, (key) => Math.floor(key / 65536));
    this.eventUnits = Uint16Array.from(keys, (key) => key % 65536);
    const jitter = rng.fork('amplitude-jitter');
    this.eventScale = Float32Array.from(keys, () => 1 + 0.08 * jitter.normal());

    const channels = rng.fork('channels');
    const c = spec.channels;
    this.bp = new Float64Array(c * 4);
    this.whiteUv = Float32Array.from({ length: c }, () => channels.range(2.0, 3.2));
    this.backgroundUv = Float32Array.from({ length: c }, () => channels.range(3.0, 7.0));
    this.lfpGain = Float32Array.from({ length: c }, (_, i) => 0.7 + 0.5 * Math.sin(i / 9) + channels.range(-0.1, 0.1));
    const line = Array.from({ length: c }, () => [channels.range(0.5, 3.5), channels.range(0, 2 * Math.PI)] as const);
    this.lineCosPhase = Float32Array.from(line, ([amp, phase]) => amp * Math.cos(phase));
    this.lineSinPhase = Float32Array.from(line, ([amp, phase]) => amp * Math.sin(phase));

    // RBJ band-pass around 1 kHz with Q 0.6: roughly the 300-3000 Hz band of multi-unit hash.
    const w0 = (2 * Math.PI * 1000) / spec.sampleRate;
    const alpha = Math.sin(w0) / (2 * 0.6);
    const a0 = 1 + alpha;
    this.bq = { b0: alpha / a0, b2: -alpha / a0, a1: (-2 * Math.cos(w0)) / a0, a2: (1 - alpha) / a0 };
    this.lfpAlpha = 1 - Math.exp((-2 * Math.PI * 6) / spec.sampleRate);
  }

  private planBursts(rng: Rng): void {
    const { burstIntervalS, sampleRate, frames } = this.spec;
    if (burstIntervalS <= 0) return;
    for (let t = rng.range(0.5, burstIntervalS); t * sampleRate < frames; t += rng.range(0.5, 1.5) * burstIntervalS) {
      this.bursts.push({ start: Math.round(t * sampleRate), length: Math.round(rng.range(0.25, 0.6) * sampleRate), depthUv: rng.range(80, 260) });
    }
  }

  private planUnits(rng: Rng): void {
    const { sampleRate, frames, channels } = this.spec;
    const durationS = frames / sampleRate;
    const refractory = (REFRACTORY_MS / 1000) * sampleRate;
    for (let id = 0; id < this.spec.units; id++) {
      const rate = Math.exp(rng.range(Math.log(0.3), Math.log(9)));
      const times: number[] = [];
      poissonTrain(rng, rate, 0, durationS, times);
      for (const burst of this.bursts) {
        if (rng.chance(0.75)) {
          const from = burst.start / sampleRate;
          poissonTrain(rng, rate * rng.range(8, 25), from, from + burst.length / sampleRate, times);
        }
      }
      times.sort((a, b) => a - b);
      const kept: number[] = [];
      for (const t of times) {
        const frame = Math.round(t * sampleRate);
        const last = kept[kept.length - 1];
        if (frame < frames && (last === undefined || frame - last >= refractory)) kept.push(frame);
      }
      const amplitudeUv = rng.range(40, 220);
      this.units.push({
        id,
        channel: rng.int(0, channels - 1),
        amplitudeUv,
        label: amplitudeUv > 70 && rng.chance(0.8) ? 'good' : 'mua',
        spikeFrames: Int32Array.from(kept),
      });
    }
  }

  /** µV contribution of a unit on `channel`: spreads to ±2 neighbours, as on a 25 µm-pitch probe. */
  private spread(unit: SimulatedUnit, channel: number): number {
    const d = Math.abs(unit.channel - channel);
    return d === 0 ? 1 : d === 1 ? 0.45 : d === 2 ? 0.15 : 0;
  }

  /**
   * Renders the next `count` frames into `out` (frames × channels, row-major, in stored integer
   * steps). Calls must cover the recording in order, because filter state carries across slabs.
   */
  fill(out: Int16Array, count: number): void {
    const c = this.spec.channels;
    if (out.length < count * c) throw new Error('slab buffer too small');
    const start = this.nextFrame;
    const uv = new Float32Array(count * c);
    const { b0, b2, a1, a2 } = this.bq;
    const bp = this.bp;
    const noise = this.noise;
    const lineStep = (2 * Math.PI * 60) / this.spec.sampleRate;

    // Frame-wide parts first: the shared LFP (two cascaded one-pole low-passes of white noise plus
    // the current burst's dip) and the mains phase.
    const lfp = new Float32Array(count);
    const lineSin = new Float32Array(count);
    const lineCos = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      this.lfp1 += this.lfpAlpha * (NORMAL_TABLE[noise.uint32() >>> 16]! * 900 - this.lfp1);
      this.lfp2 += this.lfpAlpha * (this.lfp1 - this.lfp2);
      lfp[i] = this.lfp2 + this.burstDip(start + i);
      lineSin[i] = Math.sin((start + i) * lineStep);
      lineCos[i] = Math.cos((start + i) * lineStep);
    }
    // Channel by channel within cache-sized blocks, so each channel's filter state and gains stay
    // in locals while the block of output stays in cache.
    for (let from = 0; from < count; from += BLOCK_FRAMES) {
      const to = Math.min(count, from + BLOCK_FRAMES);
      for (let ch = 0; ch < c; ch++) {
        const s = ch * 4;
        let x1 = bp[s]!,
          x2 = bp[s + 1]!,
          y1 = bp[s + 2]!,
          y2 = bp[s + 3]!;
        const white = this.whiteUv[ch]!;
        const background = this.backgroundUv[ch]! * 2.2;
        const gain = this.lfpGain[ch]!;
        const lineA = this.lineCosPhase[ch]!;
        const lineB = this.lineSinPhase[ch]!;
        for (let i = from, o = from * c + ch; i < to; i++, o += c) {
          const r = noise.uint32();
          const x = NORMAL_TABLE[r >>> 16]!;
          const y = b0 * x + b2 * x2 - a1 * y1 - a2 * y2;
          x2 = x1;
          x1 = x;
          y2 = y1;
          y1 = y;
          uv[o] = white * NORMAL_TABLE[r & 0xffff]! + background * y + gain * lfp[i]! + lineA * lineSin[i]! + lineB * lineCos[i]!;
        }
        bp[s] = x1;
        bp[s + 1] = x2;
        bp[s + 2] = y1;
        bp[s + 3] = y2;
      }
    }
    this.addSpikes(uv, start, count);

    const scale = 1e-6 / this.spec.conversion;
    for (let i = 0; i < count * c; i++) {
      const v = Math.round(uv[i]! * scale);
      out[i] = v > 32767 ? 32767 : Math.max(v, -32768);
    }
    this.nextFrame += count;
  }

  private burstDip(frame: number): number {
    while (this.burstCursor < this.bursts.length) {
      const b = this.bursts[this.burstCursor]!;
      if (frame >= b.start + b.length) {
        this.burstCursor++;
        continue;
      }
      if (frame < b.start) return 0;
      return -b.depthUv * Math.sin((Math.PI * (frame - b.start)) / b.length);
    }
    return 0;
  }

  private addSpikes(uv: Float32Array, start: number, count: number): void {
    const c = this.spec.channels;
    const t = this.template;
    const post = t.length - this.preFrames;
    while (this.eventCursor < this.eventFrames.length && this.eventFrames[this.eventCursor]! + post <= start) this.eventCursor++;
    for (let k = this.eventCursor; k < this.eventFrames.length; k++) {
      const first = this.eventFrames[k]! - this.preFrames;
      if (first >= start + count) break;
      const unit = this.units[this.eventUnits[k]!]!;
      const amp = unit.amplitudeUv * this.eventScale[k]!;
      for (let ch = Math.max(0, unit.channel - 2); ch <= Math.min(c - 1, unit.channel + 2); ch++) {
        const gain = amp * this.spread(unit, ch);
        for (let j = 0; j < t.length; j++) {
          const i = first + j - start;
          if (i >= 0 && i < count) uv[i * c + ch]! += gain * t[j]!;
        }
      }
    }
  }
}
