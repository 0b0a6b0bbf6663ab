import { AutocompleteInput, type AutocompleteInputProps } from 'react-admin';
import type { RegionKind } from '../../../schema/generated/graphql';
import { useRegionChoices, type RegionFilter } from './useRegions';

export const TERRITORY_KINDS: readonly RegionKind[] = ['TERRITORY'];
export const AREA_KINDS: readonly RegionKind[] = ['REGION', 'PROVINCE'];
export const TOP_KINDS: readonly RegionKind[] = ['REGION'];

/** A node of the territory tree, chosen by its path; the tree loads once when the input shows. */
export function RegionInput({
  kinds,
  within = null,
  ...props
}: { kinds: readonly RegionKind[]; within?: RegionFilter } & Omit<AutocompleteInputProps, 'choices'>) {
  const { choices, isPending } = useRegionChoices(kinds, { filter: within });
  return <AutocompleteInput {...props} choices={choices} isPending={isPending} translateChoice={false} />;
}
