// Issue 16 on the referral page. "Record attendance outside clinic" (POST /api/attendances): a patient seen on a ward, by
// phone or video, recorded after the fact with its outcome as a clinic outcome; the RTT status offered is only what the
// outcome can record on the clock as it stands (domain rttCodesForOutcome, the pathway's own check). "Patient asks to be
// seen" (POST /api/referrals/:id/pifu-trigger) for a pathway on PIFU. Each opening sends one Idempotency-Key.
import { useEffect, useMemo, useState } from 'react';
import { Button, TextField } from '@mui/material';
import EventNoteIcon from '@mui/icons-material/EventNote';
import PhoneInTalkIcon from '@mui/icons-material/PhoneInTalk';
import { useDataProvider, useGetList } from 'react-admin';
import { attendanceOutcomeLabels } from '../../../domain/labels';
import type { AttendanceOutcomeKind, AttendanceSetting, PifuExpiryAction } from '../../../domain/model';
import { PIFU_MAX_EXPIRY_WEEKS, pifuBookBy, rttCodesForOutcome } from '../../../domain/pifu';
import { firstActivityDue, type RttStatusCode } from '../../../domain/rtt-clock';
import { CommandDialog, type FieldErrors } from '../components/command-dialog';
import { BritishDatePicker } from '../components/date-input';
import { formatDate, londonToday } from '../components/dates';
import { NativeSelectField } from '../components/native-select';
import { useAfterAnswer } from '../components/offer-answers';
import type { AccessDeskDataProvider } from '../dataProvider';
import type { ReferralDetail } from '../types';
import { codeText } from './record-rtt-event';

export const settingLabels: Record<AttendanceSetting, string> = { ward: 'On a ward', phone: 'By phone', video: 'By video', other: 'Elsewhere' };
const atExpiryLabels: Record<PifuExpiryAction, string> = {
  discharge: 'Discharge to the GP (letters to the patient and GP)', review: 'A clinician reviews',
};
/** A patient seen outside clinic attended: a DNA is recorded on the appointment. */
const outcomes = (Object.keys(attendanceOutcomeLabels) as AttendanceOutcomeKind[]).filter((o) => o !== 'did_not_attend');

const useAfterAttendance = () => useAfterAnswer(['referrals', 'partial-booking', 'appointments', 'tasks', 'slots']);
const newKey = () => crypto.randomUUID();

/** The codes the outcome can record on this referral's clock now (the pathway refuses any other: RTT_CODE_MISMATCH). */
export function codesFor(outcome: AttendanceOutcomeKind | '', referral: Pick<ReferralDetail, 'rttStatus' | 'lastRttCode' | 'clockStart' | 'clockStop'>): RttStatusCode[] {
  if (!outcome || !referral.rttStatus || referral.lastRttCode == null || !referral.clockStart) return [];
  const clock = {
    status: referral.rttStatus, clockStart: referral.clockStart, clockStop: referral.clockStop, lastCode: referral.lastRttCode as RttStatusCode,
  };
  return rttCodesForOutcome(outcome, clock, firstActivityDue(clock));
}

const whole = (text: string) => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : NaN);

export function AttendanceOutsideClinicButton({ referral, open, onOpenChange }: {
  referral: ReferralDetail; open: boolean; onOpenChange: (open: boolean) => void;
}) {
  const dataProvider = useDataProvider<AccessDeskDataProvider>();
  const after = useAfterAttendance();
  const today = londonToday();
  const [attendedOn, setAttendedOn] = useState(today);
  const [clinicianId, setClinicianId] = useState('');
  const [setting, setSetting] = useState<AttendanceSetting | ''>('');
  const [outcome, setOutcome] = useState<AttendanceOutcomeKind | ''>('');
  const [followUpWeeks, setFollowUpWeeks] = useState('');
  const [expiryWeeks, setExpiryWeeks] = useState('');
  const [atExpiry, setAtExpiry] = useState<PifuExpiryAction | ''>('');
  const [rttCode, setRttCode] = useState('');
  const [note, setNote] = useState('');
  const [key, setKey] = useState(newKey);
  const { data: clinicians } = useGetList<{ id: string; name: string }>(
    'staff', { filter: { role: 'clinician', active: true }, sort: { field: 'name', order: 'ASC' }, pagination: { page: 1, perPage: 500 } }, { enabled: open },
  );
  const codes = useMemo(() => codesFor(outcome, referral), [outcome, referral]);
  // Each opening starts afresh with a new key; a code that no longer fits the outcome is dropped, a single one chosen.
  useEffect(() => {
    if (!open) return;
    setAttendedOn(londonToday());
    setClinicianId('');
    setSetting('');
    setOutcome('');
    setFollowUpWeeks('');
    setExpiryWeeks('');
    setAtExpiry('');
    setRttCode('');
    setNote('');
    setKey(newKey());
  }, [open]);
  useEffect(() => {
    setRttCode((code) => (codes.length === 1 ? String(codes[0]) : codes.includes(Number(code) as RttStatusCode) ? code : ''));
  }, [codes]);

  const validate = () => {
    const errors: FieldErrors = {};
    if (!attendedOn || attendedOn === 'invalid') errors.attendedOn = 'Give the day the patient was seen';
    else if (attendedOn > today) errors.attendedOn = 'Cannot be in the future';
    if (!clinicianId) errors.clinicianId = 'Choose the clinician who saw the patient';
    if (!setting) errors.setting = 'Choose where the patient was seen';
    if (!outcome) errors.outcome = 'Choose the outcome';
    if (outcome === 'follow_up' && !(whole(followUpWeeks) >= 1 && whole(followUpWeeks) <= 104)) errors.followUpWeeks = 'Give the weeks to the follow-up (1 to 104)';
    if (outcome === 'moved_to_pifu') {
      if (!(whole(expiryWeeks) >= 1 && whole(expiryWeeks) <= PIFU_MAX_EXPIRY_WEEKS)) errors.expiryWeeks = `Give the weeks the PIFU period lasts (1 to ${PIFU_MAX_EXPIRY_WEEKS})`;
      if (!atExpiry) errors.atExpiry = 'Choose what happens at expiry';
    }
    if (outcome && !rttCode) errors.rttCode = codes.length === 0 ? 'This outcome cannot be recorded on the clock as it stands' : 'Choose the RTT status';
    return errors;
  };

  return (
    <>
      <Button size="small" startIcon={<EventNoteIcon />} onClick={() => onOpenChange(true)} data-testid="attendance-outside-open" title="Record attendance outside clinic (a)">
        Record attendance outside clinic
      </Button>
      <CommandDialog
        open={open}
        title={`Record attendance outside clinic: ${referral.patientName}`}
        submitLabel="Record attendance"
        testId="attendance-outside"
        onClose={() => onOpenChange(false)}
        validate={validate}
        send={() => dataProvider.recordAttendanceOutsideClinic({
          referralId: String(referral.id), attendedOn, clinicianId, setting: setting as AttendanceSetting, outcome: outcome as AttendanceOutcomeKind,
          rttCode: Number(rttCode),
          ...(outcome === 'follow_up' ? { followUpWeeks: whole(followUpWeeks) } : {}),
          ...(outcome === 'moved_to_pifu' ? { expiryWeeks: whole(expiryWeeks), atExpiry: atExpiry as PifuExpiryAction } : {}),
          ...(note.trim() ? { note: note.trim() } : {}),
        }, key)}
        onDone={() => {
          onOpenChange(false);
          after(`Attendance outside clinic recorded for ${referral.patientName}: ${attendanceOutcomeLabels[outcome as AttendanceOutcomeKind].toLowerCase()}`);
        }}
      >
        {(errors) => (
          <>
            <BritishDatePicker
              label="Seen on" value={attendedOn} onChange={setAttendedOn} max={today} error={!!errors.attendedOn}
              helperText={errors.attendedOn} testId="attendance-outside-date"
            />
            <NativeSelectField label="Seen by" value={clinicianId} onChange={setClinicianId} error={!!errors.clinicianId} helperText={errors.clinicianId}
              testId="attendance-outside-clinician" fullWidth autoFocus>
              <option value="">Choose the clinician…</option>
              {(clinicians ?? []).map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
            </NativeSelectField>
            <NativeSelectField label="Where" value={setting} onChange={(v) => setSetting(v as AttendanceSetting | '')} error={!!errors.setting}
              helperText={errors.setting} testId="attendance-outside-setting" fullWidth>
              <option value="">Choose…</option>
              {(Object.keys(settingLabels) as AttendanceSetting[]).map((s) => <option key={s} value={s}>{settingLabels[s]}</option>)}
            </NativeSelectField>
            <NativeSelectField label="Outcome" value={outcome} onChange={(v) => setOutcome(v as AttendanceOutcomeKind | '')} error={!!errors.outcome}
              helperText={errors.outcome ?? 'As for a clinic attendance'} testId="attendance-outside-outcome" fullWidth>
              <option value="">Choose the outcome…</option>
              {outcomes.map((o) => <option key={o} value={o}>{attendanceOutcomeLabels[o]}</option>)}
            </NativeSelectField>
            {outcome === 'follow_up' ? (
              <TextField label="Follow-up in (weeks)" value={followUpWeeks} onChange={(e) => setFollowUpWeeks(e.target.value)} error={!!errors.followUpWeeks}
                helperText={errors.followUpWeeks ?? 'Beyond six weeks it waits on the partial booking list'} slotProps={{ htmlInput: { 'data-testid': 'attendance-outside-follow-up-weeks', inputMode: 'numeric' } }} />
            ) : null}
            {outcome === 'moved_to_pifu' ? (
              <>
                <TextField label="PIFU period (weeks)" value={expiryWeeks} onChange={(e) => setExpiryWeeks(e.target.value)} error={!!errors.expiryWeeks}
                  helperText={errors.expiryWeeks ?? 'The patient may ask to be seen until then'} slotProps={{ htmlInput: { 'data-testid': 'attendance-outside-expiry-weeks', inputMode: 'numeric' } }} />
                <NativeSelectField label="At expiry" value={atExpiry} onChange={(v) => setAtExpiry(v as PifuExpiryAction | '')} error={!!errors.atExpiry}
                  helperText={errors.atExpiry} testId="attendance-outside-at-expiry" fullWidth>
                  <option value="">Choose…</option>
                  {(Object.keys(atExpiryLabels) as PifuExpiryAction[]).map((a) => <option key={a} value={a}>{atExpiryLabels[a]}</option>)}
                </NativeSelectField>
              </>
            ) : null}
            <NativeSelectField label="RTT status" value={rttCode} onChange={setRttCode} error={!!errors.rttCode}
              helperText={errors.rttCode ?? (outcome ? 'Only the codes this outcome records on the clock as it stands' : 'Choose the outcome first')}
              testId="attendance-outside-rtt-code" fullWidth disabled={codes.length === 0}>
              <option value="">Choose…</option>
              {codes.map((c) => <option key={c} value={String(c)}>{codeText(c)}</option>)}
            </NativeSelectField>
            <TextField label="Note (optional)" value={note} onChange={(e) => setNote(e.target.value)} error={!!errors.note} helperText={errors.note}
              multiline minRows={2} slotProps={{ htmlInput: { 'data-testid': 'attendance-outside-note', maxLength: 2000 } }} />
          </>
        )}
      </CommandDialog>
    </>
  );
}

export function PifuTriggerButton({ referral, open, onOpenChange }: { referral: ReferralDetail; open: boolean; onOpenChange: (open: boolean) => void }) {
  const dataProvider = useDataProvider<AccessDeskDataProvider>();
  const after = useAfterAttendance();
  const [note, setNote] = useState('');
  const [key, setKey] = useState(newKey);
  useEffect(() => {
    if (!open) return;
    setNote('');
    setKey(newKey());
  }, [open]);
  return (
    <>
      <Button size="small" variant="outlined" startIcon={<PhoneInTalkIcon />} onClick={() => onOpenChange(true)} data-testid="pifu-trigger-open" title="Patient asks to be seen (p)">
        Patient asks to be seen
      </Button>
      <CommandDialog
        open={open}
        title={`${referral.patientName} asks to be seen (PIFU)`}
        submitLabel="Open the follow-up"
        testId="pifu-trigger"
        onClose={() => onOpenChange(false)}
        validate={() => ({})}
        send={() => dataProvider.triggerPifu(referral.id, note.trim() || undefined, key)}
        onDone={() => {
          onOpenChange(false);
          after(`${referral.patientName} asked to be seen: a follow-up to book is in the queue`);
        }}
      >
        {(errors) => (
          <TextField label="What the patient said" value={note} onChange={(e) => setNote(e.target.value)} error={!!errors.note}
            helperText={errors.note ?? `A follow-up booking item opens, to be booked within six weeks (by ${formatDate(pifuBookBy(londonToday()))}), and the PIFU period ends`}
            multiline minRows={2} autoFocus slotProps={{ htmlInput: { 'data-testid': 'pifu-trigger-note', maxLength: 2000 } }} />
        )}
      </CommandDialog>
    </>
  );
}
