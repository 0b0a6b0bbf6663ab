import { useQuery } from '@tanstack/react-query';
import { SelectInput, useDataProvider, type SelectInputProps } from 'react-admin';
import { AdminCustomerGradesDocument, AdminCustomerIndustriesDocument } from '../../../schema/generated/graphql';
import type { ConsoleDataProvider } from '../providers/dataProvider';

type ChoiceInputProps = Omit<SelectInputProps, 'choices' | 'isPending'>;

const asChoices = (names: readonly string[] | undefined) => (names ?? []).map((name) => ({ id: name, name }));

/**
 * The industries of the accounts the viewer may open (the API matches them whatever the case).
 * Loaded when the filter is added, so the list's first page stays one request; the key starts
 * with the resource, so writes to customers refresh it.
 */
export function IndustryInput(props: ChoiceInputProps) {
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const { data, isPending } = useQuery({
    queryKey: ['customers', 'industries'],
    queryFn: ({ signal }) => dataProvider.execute(AdminCustomerIndustriesDocument, {}, { signal }),
  });
  return <SelectInput {...props} choices={asChoices(data?.customerIndustries)} isPending={isPending} translateChoice={false} />;
}

/** The grades of the latest published evaluation cycle, best first: names a cycle defines, shown as written. */
export function GradeInput(props: ChoiceInputProps) {
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const { data, isPending } = useQuery({
    queryKey: ['evaluationCycles', 'latestGrades'],
    queryFn: ({ signal }) => dataProvider.execute(AdminCustomerGradesDocument, {}, { signal }),
  });
  return <SelectInput {...props} choices={asChoices(data?.customerGrades)} isPending={isPending} translateChoice={false} />;
}
