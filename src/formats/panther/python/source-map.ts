// Positions in the laid-out text (see layout.ts) lead back to the original file. The layout
// copies source characters in runs, shortens the gaps between tokens to one space and
// inserts markers; the map records where each run starts on both sides.

export class SourceMap {
  /** Start of each original line: after \n, \r\n or a lone \r, as Python counts lines. */
  private readonly lineStarts: number[];
  /** Laid-out offset where each segment starts, in increasing order. */
  private readonly segmentOut: number[] = [0];
  /** Source offset where each segment starts. */
  private readonly segmentSource: number[];
  /** Whether a segment is inserted markers, which all map to the character they precede. */
  private readonly segmentIsMarker: boolean[] = [false];
  // the builder asks for positions mostly in increasing order: start from the last answer
  private segmentHint = 0;
  private lineHint = 0;

  constructor(
    readonly source: string,
    /** Characters dropped at the very start (a byte order mark). */
    skipped: number,
  ) {
    this.lineStarts = lineStarts(source);
    // columns on the first line count from after the byte order mark, as editors show them
    this.lineStarts[0] = skipped;
    this.segmentSource = [skipped];
  }

  /** From laid-out offset `out` on, characters come from source offset `source` on. */
  startSegment(out: number, source: number, marker = false): void {
    const last = this.segmentOut.length - 1;
    if (this.segmentOut[last] === out) {
      this.segmentSource[last] = source;
      this.segmentIsMarker[last] = marker;
      return;
    }
    this.segmentOut.push(out);
    this.segmentSource.push(source);
    this.segmentIsMarker.push(marker);
  }

  /** The original offset of a laid-out offset. */
  toSource(offset: number): number {
    const outs = this.segmentOut;
    let i = this.segmentHint;
    if (!(outs[i]! <= offset && (i + 1 === outs.length || outs[i + 1]! > offset))) {
      let lo = 0;
      let hi = outs.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (outs[mid]! <= offset) lo = mid;
        else hi = mid - 1;
      }
      i = this.segmentHint = lo;
    }
    return this.segmentIsMarker[i] ? this.segmentSource[i]! : this.segmentSource[i]! + offset - outs[i]!;
  }

  /** 0-based line index of an original offset. */
  lineIndex(sourceOffset: number): number {
    const starts = this.lineStarts;
    const hint = this.lineHint;
    if (starts[hint]! <= sourceOffset && (hint + 1 === starts.length || starts[hint + 1]! > sourceOffset)) return hint;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= sourceOffset) lo = mid;
      else hi = mid - 1;
    }
    this.lineHint = lo;
    return lo;
  }

  lineStart(index: number): number {
    return this.lineStarts[index]!;
  }

  /** 1-based line and column (UTF-16 code units) of an original offset. */
  sourcePosition(sourceOffset: number): { line: number; col: number } {
    const index = this.lineIndex(sourceOffset);
    return { line: index + 1, col: sourceOffset - this.lineStarts[index]! + 1 };
  }
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}
