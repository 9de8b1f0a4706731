// A plain <select> in Material dress: typed into, arrowed through and read out like any other,
// and simple to drive from a browser test.
import { FormControl, FormHelperText, InputLabel, NativeSelect } from '@mui/material';
import { useId, type ReactNode } from 'react';

interface NativeSelectFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  children: ReactNode;
  testId?: string;
  helperText?: ReactNode;
  error?: boolean;
  disabled?: boolean;
  fullWidth?: boolean;
  minWidth?: number;
  autoFocus?: boolean;
}

export function NativeSelectField({
  label, value, onChange, children, testId, helperText, error, disabled, fullWidth, minWidth = 200, autoFocus,
}: NativeSelectFieldProps) {
  const id = useId();
  return (
    <FormControl variant="standard" fullWidth={fullWidth} sx={{ minWidth }} error={error} disabled={disabled}>
      <InputLabel htmlFor={id} shrink>
        {label}
      </InputLabel>
      <NativeSelect
        value={value}
        onChange={(event) => onChange(event.target.value)}
        autoFocus={autoFocus}
        inputProps={{ id, 'data-testid': testId } as Record<string, string | undefined>}
      >
        {children}
      </NativeSelect>
      {helperText ? <FormHelperText>{helperText}</FormHelperText> : null}
    </FormControl>
  );
}
