/** LoadMore asks for the next page of a paginated list and says why older rows are missing, if they are. */
export function LoadMore(props: { hasMore: boolean; loading: boolean; onMore: () => void; onRetry: () => void; error?: string | undefined; what: string }) {
  if (!props.hasMore && !props.error) return null;
  return (
    <div className="load-more pad">
      {props.error ? (
        <span className="muted small" role="status">
          Older {props.what} could not be loaded: {props.error}{' '}
          <button type="button" className="link" onClick={props.onRetry}>
            Retry
          </button>
        </span>
      ) : (
        <button type="button" className="link" onClick={props.onMore} disabled={props.loading}>
          {props.loading ? 'Loading…' : `Load older ${props.what}`}
        </button>
      )}
    </div>
  );
}
