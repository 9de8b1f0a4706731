// "g then a letter" goes to a screen from anywhere (not while typing or in a dialog), as in mail
// clients: g w My work, g p PTL, g c cancer PTL, g r referrals, g t returns, g e escalations,
// g l clinics (calendars and templates), g a appointments, g s clinic session changes, g o the Outbox,
// g n Enquiry (a patient on the phone), g i go-live imports (team leaders), g d the admitted waiting list,
// g h theatre sessions, g b the stand-by list, g x cancelled operations, g f the partial booking list (follow-ups),
// g k the follow-up backlog, g u clinics to cash up, g v ward forms, g y the Outlook (the breach forecast).
// The menu's entries are links too, so Tab reaches them as well.
import { useEffect, useRef } from 'react';
import { useNavigate } from 'react-admin';
import { enquiryPath } from '../enquiry';
import { escalationsPath } from '../escalations';
import { returnsPath } from '../returns';
import { outlookPath } from '../outlook';
import { insideOverlay, isTyping } from '../tasks/row-keys';

export const goToKeys: Record<string, { path: string; label: string }> = {
  w: { path: '/', label: 'My work' },
  p: { path: '/ptl', label: 'PTL' },
  c: { path: '/cancer-ptl', label: 'Cancer PTL' },
  r: { path: '/referrals', label: 'Referrals' },
  t: { path: returnsPath, label: 'Returns' },
  e: { path: escalationsPath, label: 'Escalations' },
  l: { path: '/clinics', label: 'Clinics' },
  a: { path: '/appointments', label: 'Appointments' },
  s: { path: '/session-changes', label: 'Session changes' },
  o: { path: '/communications', label: 'Outbox' },
  n: { path: enquiryPath, label: 'Enquiry' },
  i: { path: '/imports', label: 'Imports' },
  d: { path: '/admissions', label: 'Admitted waiting list' },
  h: { path: '/theatre-sessions', label: 'Theatre sessions' },
  b: { path: '/stand-by', label: 'Stand-by list' },
  x: { path: '/cancelled-operations', label: 'Cancelled operations' },
  f: { path: '/partial-booking', label: 'Partial booking list' },
  k: { path: '/follow-up-backlog', label: 'Follow-up backlog' },
  u: { path: '/cash-up', label: 'Cash-up' },
  v: { path: '/ward-forms', label: 'Ward forms' },
  y: { path: outlookPath, label: 'Outlook' },
};

const waitMs = 1500;

export function useGoToKeys() {
  const navigate = useNavigate();
  const armedAt = useRef(0);
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      if (isTyping(event.target) || insideOverlay(event.target)) return;
      const armed = Date.now() - armedAt.current < waitMs;
      if (armed) {
        armedAt.current = 0;
        const target = goToKeys[event.key];
        if (!target) return;
        // Capture phase: the page's own single-key shortcuts (c claims next) never see the second key.
        event.preventDefault();
        event.stopImmediatePropagation();
        navigate(target.path);
      } else if (event.key === 'g') {
        armedAt.current = Date.now();
        event.preventDefault();
      }
    };
    window.addEventListener('keydown', onKeyDown, { capture: true });
    return () => window.removeEventListener('keydown', onKeyDown, { capture: true });
  }, [navigate]);
}
