// Filter inputs more than one list uses.
import { ReferenceInput, SelectInput } from 'react-admin';

/** Choose a specialty by name; the filter carries its code. */
export function specialtyFilter(source: string) {
  return (
    <ReferenceInput key={source} source={source} reference="specialties" sort={{ field: 'name', order: 'ASC' }} perPage={200} alwaysOn>
      <SelectInput label="Specialty" optionText="name" />
    </ReferenceInput>
  );
}
