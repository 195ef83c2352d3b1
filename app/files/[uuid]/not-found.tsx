import { NotFoundMessage } from '@/components/not-found';

/** A file the index does not hold. */
export default function FileNotFound() {
  return (
    <NotFoundMessage what="No file in the index has this id. It may have been removed from the bucket since the last crawl, or the link may be mistyped." />
  );
}
