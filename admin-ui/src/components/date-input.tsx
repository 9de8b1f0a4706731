// Date pickers written dd/mm/yyyy whatever the browser's locale (a native <input type=date> follows the
// browser, so an en-US browser showed mm/dd/yyyy): MUI X's picker with date-fns' en-GB locale. The value
// stays a calendar date 'YYYY-MM-DD', as the API takes it. Typing works (04/12/2026 is 4 December); the
// calendar button opens a keyboard-operable month grid.
import { useState, type ReactNode } from 'react';
import type { SxProps, Theme } from '@mui/material';
import { DesktopDatePicker } from '@mui/x-date-pickers/DesktopDatePicker';
import { LocalizationProvider } from '@mui/x-date-pickers/LocalizationProvider';
import { AdapterDateFns } from '@mui/x-date-pickers/AdapterDateFns';
import { enGB } from 'date-fns/locale/en-GB';
import { format, isValid, parseISO } from 'date-fns';
import { InputHelperText, useInput, type InputProps } from 'react-admin';
import { isIsoDate } from '../../../domain/dates';

/** 'YYYY-MM-DD' → a Date at local midnight (the picker's own zone), or null. */
export function dateFromIso(value: unknown): Date | null {
  if (typeof value !== 'string' || !isIsoDate(value)) return null;
  const date = parseISO(value);
  return isValid(date) ? date : null;
}

/** The picker's Date → 'YYYY-MM-DD'; '' while the date is incomplete, 'invalid' once it cannot be a date. */
export function isoFromDate(date: Date | null): string {
  if (date == null) return '';
  return isValid(date) && date.getFullYear() >= 1000 ? format(date, 'yyyy-MM-dd') : 'invalid';
}

interface BritishDatePickerProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  error?: boolean;
  helperText?: ReactNode;
  required?: boolean;
  disabled?: boolean;
  autoFocus?: boolean;
  fullWidth?: boolean;
  name?: string;
  min?: string;
  max?: string;
  testId?: string;
  size?: 'small' | 'medium';
  sx?: SxProps<Theme>;
}

/** A controlled date field for dialogs: value and onChange in 'YYYY-MM-DD'. */
export function BritishDatePicker({
  label, value, onChange, onBlur, error, helperText, required, disabled, autoFocus, fullWidth, name, min, max, testId, size, sx,
}: BritishDatePickerProps) {
  // The picker's own Date, kept while a date is half typed (an invalid Date the string value cannot hold),
  // so handing the value back does not wipe what is being typed.
  const [shown, setShown] = useState<Date | null>(() => dateFromIso(value));
  const current = isoFromDate(shown) === value || (value === 'invalid' && shown != null) ? shown : dateFromIso(value);
  return (
    <LocalizationProvider dateAdapter={AdapterDateFns} adapterLocale={enGB}>
      <DesktopDatePicker
        label={label}
        value={current}
        onChange={(date) => {
          setShown(date as Date | null);
          onChange(isoFromDate(date as Date | null));
        }}
        format="dd/MM/yyyy"
        disabled={disabled}
        autoFocus={autoFocus}
        minDate={dateFromIso(min) ?? undefined}
        maxDate={dateFromIso(max) ?? undefined}
        slotProps={{
          textField: {
            name, required, error, helperText, fullWidth, onBlur, size, sx,
            // The date as the field holds it ('YYYY-MM-DD'), for tests and for anyone reading the DOM.
            ...({ 'data-testid': testId, 'data-value': value } as object),
          },
          openPickerButton: { 'aria-label': `Choose ${label.toLowerCase()} from a calendar` },
        }}
      />
    </LocalizationProvider>
  );
}

type DateInputProps = Omit<InputProps, 'source' | 'label'> & {
  source: string; label?: string; helperText?: ReactNode; fullWidth?: boolean; alwaysOn?: boolean;
};

const notADate = (value: unknown) => (value === 'invalid' ? 'Enter a date as dd/mm/yyyy' : undefined);

/** react-admin's DateInput, dd/mm/yyyy: the form value is 'YYYY-MM-DD' (or '' when empty). */
export function DateInput({ source, label, helperText, validate, fullWidth, alwaysOn: _alwaysOn, ...rest }: DateInputProps) {
  const validators = [notADate, ...(Array.isArray(validate) ? validate : validate ? [validate] : [])];
  const { field, fieldState, isRequired } = useInput({ source, validate: validators, ...rest });
  const shownError = fieldState.invalid ? fieldState.error?.message : undefined;
  return (
    <BritishDatePicker
      label={label ?? source}
      required={isRequired}
      value={typeof field.value === 'string' ? field.value : ''}
      onChange={(value) => field.onChange(value)}
      onBlur={field.onBlur}
      name={field.name}
      error={!!shownError}
      helperText={<InputHelperText error={shownError} helperText={helperText ?? 'dd/mm/yyyy'} />}
      fullWidth={fullWidth}
      testId={`date-${source}`}
    />
  );
}
