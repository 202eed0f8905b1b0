"use client";

import { useState } from "react";
import { Alert, Button } from "@/app/_components/ui";

/** Fresh recovery codes, shown this once: copy, download as text, then done. */
export function RecoveryCodesPanel({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  const text = `Driftwood recovery codes (each works once)\n\n${codes.join("\n")}\n`;

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  }

  function download() {
    const url = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = "driftwood-recovery-codes.txt";
    link.click();
    URL.revokeObjectURL(url);
  }

  return (
    <section
      aria-labelledby="recovery-codes-title"
      className="space-y-3 rounded-md border border-amber-300 bg-amber-50 p-4 dark:border-amber-800 dark:bg-amber-950"
    >
      <h3 id="recovery-codes-title" className="font-semibold">
        Save your recovery codes
      </h3>
      <p className="text-sm">
        If you lose your phone or your passkey, each of these codes lets you sign in once instead. Keep them somewhere safe, like a password
        manager. They are shown only now.
      </p>
      <ul aria-label="Recovery codes" className="grid grid-cols-2 gap-x-6 gap-y-1 font-mono text-sm sm:grid-cols-5">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ul>
      <div className="flex flex-wrap gap-2">
        <Button type="button" variant="secondary" onClick={copy}>
          {copied ? "Copied" : "Copy"}
        </Button>
        <Button type="button" variant="secondary" onClick={download}>
          Download as text
        </Button>
        <Button type="button" onClick={onDone}>
          I have saved them
        </Button>
      </div>
      {copied ? <Alert tone="success">The codes are on your clipboard.</Alert> : null}
    </section>
  );
}
