import { CopyButton } from './copy-button';

/**
 * Python that opens the file where it is, reading only the bytes it needs: h5py over fsspec's HTTP file
 * (pynwb on top for an NWB file), through the site's /data/<uuid>, which redirects each read to a
 * short-lived S3 URL. The snippet holds no credential: the site signs the URL, not the reader.
 */
export function pythonSnippet(url: string, nwb: boolean): string {
  const open = `import fsspec, h5py\n\nurl = "${url}"\nremote = fsspec.open(url, "rb", block_size=1 << 20).open()`;
  if (!nwb) return `# pip install h5py fsspec aiohttp\n${open}\nfile = h5py.File(remote, "r")\nfile.visit(print)\n`;
  return `# pip install pynwb fsspec aiohttp\n${open}\nfrom pynwb import NWBHDF5IO\nio = NWBHDF5IO(file=h5py.File(remote, "r"), load_namespaces=True)\nnwb = io.read()\nprint(nwb)\n`;
}

export function PythonSnippet({ url, nwb }: { url: string; nwb: boolean }) {
  const code = pythonSnippet(url, nwb);
  return (
    <details className="python-snippet">
      <summary>Open in Python</summary>
      <p className="muted">
        Reads the file where it is, only the bytes it needs; no download, no credentials.{' '}
        <CopyButton label="copy" title="Copy the Python" text={code} />
      </p>
      <pre data-testid="python-snippet">
        <code>{code}</code>
      </pre>
    </details>
  );
}
