import { announcements } from '../state/announcer';
import { useStore } from '../state/store';

/**
 * The two live regions every announcement goes through. They exist from the first render (a region added
 * together with its text is often not read), and each message is keyed so a repeat is read again.
 */
export function LiveRegions() {
  const { polite, assertive } = useStore(announcements);
  return (
    <div className="visually-hidden">
      <div aria-live="polite" aria-atomic="true" data-testid="live-polite">
        {polite && <span key={polite.id}>{polite.text}</span>}
      </div>
      <div aria-live="assertive" aria-atomic="true" data-testid="live-assertive">
        {assertive && <span key={assertive.id}>{assertive.text}</span>}
      </div>
    </div>
  );
}
