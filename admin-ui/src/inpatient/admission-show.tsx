// An admission's page: the patient's place on the admitted waiting list (surgical priority and its target
// date, RTT breach date, pre-op, TCI) and what can be done next: offer a TCI date (o), record the pre-op
// outcome, the admission, an on-the-day cancellation, stand-by, or a decision not to treat.
import { useCallback } from 'react';
import { Alert, Box, Typography } from '@mui/material';
import { Link, Show, TopToolbar, useNavigate, useRecordContext } from 'react-admin';
import { formatDate } from '../components/dates';
import { BreachDateText, Labelled, Panel } from '../components/fields';
import { labelFor } from '../components/labels';
import { useShortcut } from '../tasks/row-keys';
import { hasRole, useRole } from '../components/roles';
import type { Role } from '../types';
import type { Admission } from './inpatient-types';
import { admissionStatusLabels, intendedManagementLabels, minutesWords, surgicalPriorityLabels } from './inpatient-words';
import { PreOpText, SurgicalPriorityChip, tciBookingPath } from './admission-fields';
import { AdmitButton, CancelOperationButton, NotTreatedButton, PreOpOutcomeButton, StandByButton } from './admission-actions';
import { TciOffersPanel } from './tci-offers-panel';

const referralPath = (referralId: string) => `/referrals/${encodeURIComponent(referralId)}/show`;
const onList = (a: Admission) => a.status === 'waiting' || a.status === 'tci_booked' || a.status === 'cancelled';

function AdmissionTitle() {
  const admission = useRecordContext<Admission>();
  return <span>{admission ? `Admission: ${admission.patientName}, ${admission.procedure}` : 'Admission'}</span>;
}

// Who may do what, as the API's routes allow it (api/routes/admitted.ts, stand-by.ts, cancelled-operations.ts); the API checks again.
const bookerRoles: readonly Role[] = ['officer', 'team_leader', 'admin'];
const recorderRoles: readonly Role[] = ['officer', 'team_leader', 'clinician', 'admin'];
const clinicianRoles: readonly Role[] = ['clinician', 'team_leader', 'admin'];

function Actions({ admission }: { admission: Admission }) {
  const navigate = useNavigate();
  const { role } = useRole();
  const books = hasRole(role, bookerRoles);
  const records = hasRole(role, recorderRoles);
  const decides = hasRole(role, clinicianRoles);
  const live = onList(admission);
  useShortcut(['o'], useCallback(() => { if (live && books) navigate(tciBookingPath(admission.id)); }, [live, books, navigate, admission.id]));
  if (!live) return <Typography variant="body2" color="text.secondary">Off the waiting list: {labelFor(admissionStatusLabels, admission.status).toLowerCase()}.</Typography>;
  return (
    <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }} data-testid="admission-actions">
      {records && admission.preOpRequired ? <PreOpOutcomeButton admission={admission} /> : null}
      {records && admission.status === 'tci_booked' ? <AdmitButton admission={admission} /> : null}
      {books && admission.status === 'tci_booked' ? <CancelOperationButton admission={admission} /> : null}
      {books ? <StandByButton admission={admission} /> : null}
      {decides ? <NotTreatedButton admission={admission} /> : null}
    </Box>
  );
}

function AdmissionDetail() {
  const admission = useRecordContext<Admission>();
  const { role } = useRole();
  if (!admission) return null;
  return (
    <Box sx={{ display: 'grid', gap: 2 }} data-testid="admission-page" data-status={admission.status}>
      {admission.status === 'cancelled' ? (
        <Alert severity="warning" data-testid="admission-cancelled-note">
          The operation was cancelled: offer a new TCI date (the 28-day guarantee applies to an on-the-day cancellation by the hospital).
        </Alert>
      ) : null}
      <Panel title="On the admitted waiting list" testId="admission-summary">
        <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(200px, 1fr))', columnGap: 3 }}>
          <Labelled label="Patient"><Link to={referralPath(admission.referralId)}>{admission.patientName}</Link></Labelled>
          <Labelled label="Specialty">{admission.specialtyCode}</Labelled>
          <Labelled label="Procedure">{admission.procedure} ({labelFor(intendedManagementLabels, admission.intendedManagement).toLowerCase()}, {minutesWords(admission.estimatedMinutes)})</Labelled>
          <Labelled label="Consultant">{admission.consultantName}</Labelled>
          <Labelled label="Surgical priority">
            <SurgicalPriorityChip priority={admission.surgicalPriority} /> {labelFor(surgicalPriorityLabels, admission.surgicalPriority).replace(/^P\w+: /, '')}
          </Labelled>
          <Labelled label="Decided to admit">{formatDate(admission.decidedOn)}</Labelled>
          <Labelled label="Priority target date"><BreachDateText value={admission.targetDate} /></Labelled>
          <Labelled label="RTT breach date"><BreachDateText value={admission.breachDate} /></Labelled>
          <Labelled label="Status"><span data-testid="admission-status">{labelFor(admissionStatusLabels, admission.status)}</span></Labelled>
          <Labelled label="Pre-op">{admission.preOpRequired ? <PreOpText admission={admission} /> : 'Not needed'}</Labelled>
          <Labelled label="TCI">{admission.tciDate ? `${formatDate(admission.tciDate)}${admission.ward ? `, ${admission.ward}` : ''}` : 'None yet'}</Labelled>
          <Labelled label="Stand-by">{admission.standBy ? 'Yes: can come in at short notice' : 'No'}</Labelled>
          <Labelled label="Reasonable TCI dates declined">{admission.declinedReasonableOffers}</Labelled>
        </Box>
      </Panel>
      <Panel title="Next steps" testId="admission-next">
        <Actions admission={admission} />
      </Panel>
      <TciOffersPanel admission={admission} canBook={hasRole(role, bookerRoles)} />
    </Box>
  );
}

export function AdmissionShow() {
  return (
    <Show title={<AdmissionTitle />} actions={<TopToolbar />} sx={{ '& .RaShow-card': { p: 2 } }}>
      <AdmissionDetail />
    </Show>
  );
}
