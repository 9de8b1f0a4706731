// A patient's communication needs (issue 12) on their page: how they want to hear from us, Accessible Information
// Standard needs, an interpreter, a carer as contact, and the details those need; "Edit" (n) changes them in a dialog
// (Enter saves, Esc cancels) with PUT /api/patients/:id.
import { useCallback, useState } from 'react';
import { Box, Button, Checkbox, FormControl, FormControlLabel, FormGroup, FormHelperText, FormLabel, TextField, Typography } from '@mui/material';
import EditIcon from '@mui/icons-material/Edit';
import { useDataProvider, useNotify, useRefresh } from 'react-admin';
import { aisNeeds, commChannels, type AisNeed, type CommChannel } from '../../../domain/model';
import { aisNeedLabels, commChannelLabels } from '../../../domain/labels';
import { CommandDialog, type FieldErrors } from '../components/command-dialog';
import { CommunicationNeedsFlag } from '../components/communication-needs';
import { Labelled, Panel } from '../components/fields';
import { hasRole, useRole } from '../components/roles';
import { useShortcut } from '../tasks/row-keys';
import type { AccessDeskDataProvider } from '../dataProvider';
import type { PatientDetail, Role } from '../types';

/** Who keeps a patient's needs (the API checks again). */
const editors: readonly Role[] = ['officer', 'team_leader', 'admin'];

type Draft = {
  channels: CommChannel[]; aisNeeds: AisNeed[]; interpreterLanguage: string; viaCarer: boolean;
  carerName: string; carerRelationship: string; carerPhone: string; carerEmail: string;
  phone: string; email: string; address: string;
};

const draftOf = (p: PatientDetail): Draft => ({
  channels: [...p.communication.channels], aisNeeds: [...p.communication.aisNeeds],
  interpreterLanguage: p.communication.interpreterLanguage ?? '', viaCarer: p.communication.carer !== null,
  carerName: p.communication.carer?.name ?? '', carerRelationship: p.communication.carer?.relationship ?? '',
  carerPhone: p.communication.carer?.phone ?? '', carerEmail: p.communication.carer?.email ?? '',
  phone: p.phone ?? '', email: p.email ?? '', address: p.addressLines.join('\n'),
});

const toggle = <T,>(list: T[], value: T, on: boolean) => (on ? [...list.filter((v) => v !== value), value] : list.filter((v) => v !== value));
const listInWords = (words: string[]) => words.join(', ').replace(/, ([^,]*)$/, ' and $1');

function Needs({ patient }: { patient: PatientDetail }) {
  const { channels, aisNeeds: needs, interpreterLanguage, carer } = patient.communication;
  return (
    <Box sx={{ display: 'grid', gap: 0.5 }}>
      <CommunicationNeedsFlag needs={patient.communicationNeeds} />
      <Labelled label="Hears from us by">{listInWords(channels.map((c) => commChannelLabels[c]))}</Labelled>
      {needs.length ? <Labelled label="Accessible information">{needs.map((n) => aisNeedLabels[n]).join('; ')}</Labelled> : null}
      {interpreterLanguage ? <Labelled label="Interpreter">{interpreterLanguage}</Labelled> : null}
      {carer ? (
        <Labelled label="Contact via carer">
          {carer.name} ({carer.relationship}){carer.phone ? `, ${carer.phone}` : ''}{carer.email ? `, ${carer.email}` : ''}
        </Labelled>
      ) : null}
      {patient.addressLines.length ? <Labelled label="Address">{[...patient.addressLines, patient.postcode].filter(Boolean).join(', ')}</Labelled> : null}
      {!patient.communicationNeeds ? (
        <Typography variant="body2" color="text.secondary">No accessible information, interpreter or carer needs recorded.</Typography>
      ) : null}
    </Box>
  );
}

export function CommunicationNeedsCard({ patient }: { patient: PatientDetail }) {
  const dataProvider = useDataProvider<AccessDeskDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const mayEdit = hasRole(useRole().role, editors);
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<Draft>(() => draftOf(patient));
  const set = (change: Partial<Draft>) => setDraft((d) => ({ ...d, ...change }));
  const openEditor = useCallback(() => { setDraft(draftOf(patient)); setOpen(true); }, [patient]);
  useShortcut(['n'], mayEdit ? openEditor : undefined);

  const validate = (): FieldErrors => {
    const errors: FieldErrors = {};
    if (!draft.channels.length) errors['communication.channels'] = 'Choose at least one way to contact the patient';
    if (draft.viaCarer && !draft.carerName.trim()) errors['communication.carer.name'] = "Give the carer's name";
    if (draft.viaCarer && !draft.carerRelationship.trim()) errors['communication.carer.relationship'] = 'Say who they are to the patient';
    return errors;
  };
  const send = () => dataProvider.changePatient(patient.id, {
    communication: {
      channels: draft.channels, aisNeeds: draft.aisNeeds, interpreterLanguage: draft.interpreterLanguage.trim() || null,
      carer: draft.viaCarer ? { name: draft.carerName, relationship: draft.carerRelationship, phone: draft.carerPhone || null, email: draft.carerEmail || null } : null,
    },
    phone: draft.phone.trim() || null, email: draft.email.trim() || null,
    addressLines: draft.address.split('\n').map((l) => l.trim()).filter(Boolean),
    updatedAt: patient.updatedAt,
  });

  return (
    <Panel title="Communication needs" testId="patient-communication-needs">
      <Needs patient={patient} />
      {mayEdit ? (
        <Button size="small" startIcon={<EditIcon />} onClick={openEditor} sx={{ mt: 1 }} data-testid="communication-needs-edit"
          title="Change communication needs (n)">
          Edit
        </Button>
      ) : null}
      <CommandDialog
        open={open}
        title="Communication needs"
        submitLabel="Save"
        testId="communication-needs"
        onClose={() => setOpen(false)}
        validate={validate}
        send={send}
        onDone={() => { setOpen(false); notify('Communication needs saved', { type: 'info' }); refresh(); }}
      >
        {(errors) => (
          <>
            <FormControl component="fieldset" error={!!(errors['communication.channels'] ?? errors.phone ?? errors.email ?? errors.addressLines)}>
              <FormLabel component="legend">How they want to hear from us</FormLabel>
              <FormGroup row>
                {commChannels.map((channel, i) => (
                  <FormControlLabel key={channel} label={commChannelLabels[channel]} control={(
                    <Checkbox checked={draft.channels.includes(channel)} autoFocus={i === 0} name={`channel-${channel}`}
                      onChange={(e) => set({ channels: toggle(draft.channels, channel, e.target.checked) })} />
                  )} />
                ))}
              </FormGroup>
              {errors['communication.channels'] ? <FormHelperText>{errors['communication.channels']}</FormHelperText> : null}
            </FormControl>
            <FormControl component="fieldset">
              <FormLabel component="legend">Accessible information</FormLabel>
              <FormGroup>
                {aisNeeds.map((need) => (
                  <FormControlLabel key={need} label={aisNeedLabels[need]} control={(
                    <Checkbox checked={draft.aisNeeds.includes(need)} name={`need-${need}`}
                      onChange={(e) => set({ aisNeeds: toggle(draft.aisNeeds, need, e.target.checked) })} />
                  )} />
                ))}
              </FormGroup>
            </FormControl>
            <TextField label="Interpreter (spoken language)" value={draft.interpreterLanguage} onChange={(e) => set({ interpreterLanguage: e.target.value })}
              error={!!errors['communication.interpreterLanguage']} helperText={errors['communication.interpreterLanguage'] ?? 'Leave empty if none is needed, for example Polish'}
              slotProps={{ htmlInput: { maxLength: 60, 'data-testid': 'communication-needs-language' } }} />
            <TextField label="Phone" value={draft.phone} onChange={(e) => set({ phone: e.target.value })}
              error={!!errors.phone} helperText={errors.phone ?? 'Texts go to a UK mobile (07…)'} slotProps={{ htmlInput: { inputMode: 'tel' } }} />
            <TextField label="Email" value={draft.email} onChange={(e) => set({ email: e.target.value })} error={!!errors.email} helperText={errors.email}
              slotProps={{ htmlInput: { inputMode: 'email' } }} />
            <TextField label="Address (one line each)" value={draft.address} onChange={(e) => set({ address: e.target.value })} multiline minRows={2}
              error={!!(errors.addressLines ?? Object.keys(errors).find((k) => k.startsWith('addressLines.')))}
              helperText={errors.addressLines ?? Object.entries(errors).find(([k]) => k.startsWith('addressLines.'))?.[1] ?? 'The postcode is kept with the patient'} />
            <FormControlLabel label="Contact via carer" control={(
              <Checkbox checked={draft.viaCarer} name="via-carer" onChange={(e) => set({ viaCarer: e.target.checked })} />
            )} />
            {draft.viaCarer ? (
              <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' } }}>
                <TextField label="Carer's name" value={draft.carerName} onChange={(e) => set({ carerName: e.target.value })}
                  error={!!errors['communication.carer.name']} helperText={errors['communication.carer.name']} />
                <TextField label="Relationship" value={draft.carerRelationship} onChange={(e) => set({ carerRelationship: e.target.value })}
                  error={!!errors['communication.carer.relationship']} helperText={errors['communication.carer.relationship']} />
                <TextField label="Carer's phone" value={draft.carerPhone} onChange={(e) => set({ carerPhone: e.target.value })}
                  error={!!errors['communication.carer.phone']} helperText={errors['communication.carer.phone']} />
                <TextField label="Carer's email" value={draft.carerEmail} onChange={(e) => set({ carerEmail: e.target.value })}
                  error={!!errors['communication.carer.email']} helperText={errors['communication.carer.email']} />
              </Box>
            ) : null}
          </>
        )}
      </CommandDialog>
    </Panel>
  );
}
