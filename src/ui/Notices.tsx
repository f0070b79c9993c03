/** Dismissible notices: bad URL values, backend fallbacks, anything the page had to change. */
export function Notices({ notices, onDismiss }: { notices: string[]; onDismiss(index: number): void }) {
  if (!notices.length) return null;
  return (
    <ul className="notices" data-testid="notices" aria-label="Notices">
      {notices.map((text, i) => (
        <li key={`${i}-${text}`} role="status">
          <span>{text}</span>
          <button type="button" aria-label="Dismiss notice" onClick={() => onDismiss(i)}>
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}
