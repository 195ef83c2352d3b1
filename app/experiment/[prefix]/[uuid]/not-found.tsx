import { NotFoundMessage } from '@/components/not-found';

/** An experiment the index does not hold. */
export default function ExperimentNotFound() {
  return (
    <NotFoundMessage what="No experiment in the index has this address. It may have been removed from the bucket, or the link may be mistyped." />
  );
}
