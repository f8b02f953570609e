/** One finished request, as the metrics middleware saw it. */
export interface RequestSample {
  method: string;
  /** Route template (`/api/items/:id`), or `unmatched`; never a raw path. */
  route: string;
  status: number;
  /** Wall time from the request's start to the response's end. */
  seconds: number;
  tenant?: string;
  traceId?: string;
  spanId?: string;
  /** Epoch milliseconds when the response ended. */
  endedAt: number;
}

/** Receives every finished request (the SLO tracker and the summary windows are observers). */
export interface RequestObserver {
  observe(sample: RequestSample): void;
}
