'use client';

import { useEffect, useState } from 'react';

/** A button that only works once React has hydrated the page (the browser test clicks it). */
export function HydrationCheck() {
  const [hydrated, setHydrated] = useState(false);
  const [clicks, setClicks] = useState(0);
  useEffect(() => setHydrated(true), []);
  return (
    <button
      type="button"
      data-testid="hydration-check"
      data-hydrated={hydrated}
      disabled={!hydrated}
      onClick={() => setClicks((n) => n + 1)}
    >
      {clicks === 0 ? 'Click me' : `Clicked ${clicks}`}
    </button>
  );
}
