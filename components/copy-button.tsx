'use client';

import { useState } from 'react';

/**
 * Copies text to the clipboard and says so for a moment: `text` itself, or what `source` (a URL on this
 * site) answers, fetched on click so a large document is not carried in the page twice.
 */
export function CopyButton({ label, title, ...what }: { label: string; title?: string } & ({ text: string } | { source: string })) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <button
      type="button"
      className="copy"
      title={title ?? ('text' in what ? `Copy ${what.text}` : 'Copy')}
      onClick={async () => {
        try {
          const text = 'text' in what ? what.text : await (await fetch(what.source)).text();
          await navigator.clipboard.writeText(text);
          setState('copied');
        } catch {
          setState('failed');
        }
        setTimeout(() => setState('idle'), 1500);
      }}
    >
      {state === 'idle' ? label : state === 'copied' ? 'copied' : 'could not copy'}
    </button>
  );
}
