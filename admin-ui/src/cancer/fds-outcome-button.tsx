// Record the Faster Diagnosis Standard outcome of a 2WW pathway: cancer confirmed or ruled out, and the
// date the patient was told (POST /api/referrals/:id/fds-outcome). From the cancer view's row or the referral page.
import { useState } from 'react';
import { Button, FormControl, FormControlLabel, FormHelperText, FormLabel, Radio, RadioGroup } from '@mui/material';
import FactCheckIcon from '@mui/icons-material/FactCheck';
import { useDataProvider, useNotify, useRefresh } from 'react-admin';
import { useQueryClient } from '@tanstack/react-query';
import { CommandDialog } from '../components/command-dialog';
import { londonToday } from '../components/dates';
import { choicesFrom, fdsOutcomeLabels } from '../components/labels';
import type { AccessDeskDataProvider } from '../dataProvider';
import type { FdsOutcome } from '../rtt-types';
import { BritishDatePicker } from '../components/date-input';

interface FdsOutcomeButtonProps {
  referralId: string;
  patientName?: string | null;
  recorded?: FdsOutcome | null;
  /** The cancer clock start: the patient cannot have been told before it. */
  earliest?: string | null;
  size?: 'small' | 'medium';
  /** Short words, for a table row. */
  compact?: boolean;
  /** Opened from outside (a keyboard shortcut). */
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
}

export function FdsOutcomeButton({ referralId, patientName, recorded, earliest, size = 'small', compact = false, open: openProp, onOpenChange }: FdsOutcomeButtonProps) {
  const dataProvider = useDataProvider<AccessDeskDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const queryClient = useQueryClient();
  const [ownOpen, setOwnOpen] = useState(false);
  const open = openProp ?? ownOpen;
  const setOpen = (value: boolean) => (onOpenChange ? onOpenChange(value) : setOwnOpen(value));
  const [outcome, setOutcome] = useState<FdsOutcome | ''>(recorded ?? '');
  const [communicatedOn, setCommunicatedOn] = useState(londonToday());
  const today = londonToday();

  return (
    <>
      <Button
        size={size}
        variant={recorded ? 'text' : 'outlined'}
        startIcon={<FactCheckIcon />}
        onClick={(event) => {
          event.stopPropagation();
          setOpen(true);
        }}
        data-testid="fds-outcome-open"
        title="Record the FDS outcome (f)"
        sx={{ whiteSpace: 'nowrap' }}
      >
        {compact ? (recorded ? 'Change FDS' : 'Record FDS') : recorded ? 'Change FDS outcome' : 'Record FDS outcome'}
      </Button>
      <CommandDialog
        open={open}
        title={`FDS outcome${patientName ? `: ${patientName}` : ''}`}
        submitLabel="Record outcome"
        testId="fds-outcome"
        onClose={() => setOpen(false)}
        validate={() => {
          const errors: Record<string, string> = {};
          if (!outcome) errors.outcome = 'Choose confirmed or ruled out';
          if (!communicatedOn) errors.communicatedOn = 'Say when the patient was told';
          else if (communicatedOn > today) errors.communicatedOn = 'Cannot be in the future';
          else if (earliest && communicatedOn < earliest) errors.communicatedOn = 'Cannot be before the referral';
          return errors;
        }}
        send={() => dataProvider.recordFdsOutcome(referralId, { outcome: outcome as FdsOutcome, communicatedOn })}
        onDone={() => {
          setOpen(false);
          notify('FDS outcome recorded', { type: 'info' });
          for (const key of ['cancer-ptl', 'referrals']) void queryClient.invalidateQueries({ queryKey: [key] });
          refresh();
        }}
      >
        {(errors) => (
          <>
            <FormControl error={!!errors.outcome}>
              <FormLabel id="fds-outcome-label">Outcome</FormLabel>
              <RadioGroup name="fdsOutcome" aria-labelledby="fds-outcome-label" value={outcome} onChange={(event) => setOutcome(event.target.value as FdsOutcome)}>
                {choicesFrom(fdsOutcomeLabels).map((choice, index) => (
                  <FormControlLabel
                    key={choice.id}
                    value={choice.id}
                    label={choice.name}
                    control={<Radio autoFocus={index === 0} />}
                  />
                ))}
              </RadioGroup>
              {errors.outcome ? <FormHelperText>{errors.outcome}</FormHelperText> : null}
            </FormControl>
            <BritishDatePicker
              label="Patient told on"
              value={communicatedOn}
              onChange={(value) => setCommunicatedOn(value)}
              error={!!errors.communicatedOn}
              helperText={errors.communicatedOn} max={today} min={earliest ?? undefined} testId="fds-communicated-on"
            />
          </>
        )}
      </CommandDialog>
    </>
  );
}
