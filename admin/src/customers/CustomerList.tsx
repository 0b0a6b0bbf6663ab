import { useMediaQuery, type Theme } from '@mui/material';
import { useLayoutEffect } from 'react';
import {
  BooleanInput,
  CreateButton,
  DataTable,
  FilterButton,
  List,
  ReferenceInput,
  SearchInput,
  SelectInput,
  SimpleList,
  TopToolbar,
  useCanAccess,
  useListContext,
  useLocaleState,
  useTranslate,
} from 'react-admin';
import type { AdminCustomerRowFragment } from '../../../schema/generated/graphql';
import { EmptyState } from '../common/states';
import { DateTimeField, EnumField, RegionNameField } from '../common/fields';
import { LIFECYCLE_STAGES, STAGE_COLORS, enumChoices } from '../common/enums';
import { AREA_KINDS, RegionInput, TERRITORY_KINDS } from '../common/RegionInput';
import { regionName } from '../common/format';
import { PersonAutocompleteInput } from '../common/pickers';
import { GradeInput, IndustryInput } from './CustomerFilterInputs';
import { customerListDefaults } from './customerListDefaults';
import { handOverCustomerListPrePaint } from './listHandOver';
import { ReassignButton } from './ReassignButton';

type Row = AdminCustomerRowFragment;

// Only the search and the stage (static choices) show at first: a list page costs exactly one
// request. The other filters load their choices when added.
const customerFilters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <SelectInput key="lifecycleStage" source="lifecycleStage" choices={enumChoices('LifecycleStage', LIFECYCLE_STAGES)} alwaysOn />,
  <RegionInput key="regionId" source="regionId" kinds={AREA_KINDS} />,
  <RegionInput key="territoryId" source="territoryId" kinds={TERRITORY_KINDS} />,
  <ReferenceInput key="ownerId" source="ownerId" reference="users" sort={{ field: 'name', order: 'ASC' }}>
    <PersonAutocompleteInput />
  </ReferenceInput>,
  <IndustryInput key="industry" source="industry" />,
  <GradeInput key="grade" source="grade" />,
  <BooleanInput key="includeArchived" source="includeArchived" />,
  // Every account's directory card: is this customer already someone's, and whose?
  <BooleanInput key="directory" source="directory" />,
];

function ListActions() {
  return (
    <TopToolbar>
      <FilterButton />
      <CreateButton />
    </TopToolbar>
  );
}

function CustomersEmpty() {
  const translate = useTranslate();
  return (
    <EmptyState
      message={translate('ra.page.empty', { name: translate('resources.customers.name', { smart_count: 2 }) })}
      action={<CreateButton variant="contained" />}
    />
  );
}

/**
 * Removes the rows the page's entry drew before React (listPrePaint.ts) once this list's own rows,
 * or its error, are in the DOM: a layout effect, so the swap happens within one frame.
 */
function PrePaintHandOver() {
  const { isPending } = useListContext();
  useLayoutEffect(() => {
    if (!isPending) handOverCustomerListPrePaint();
  }, [isPending]);
  useLayoutEffect(() => handOverCustomerListPrePaint, []);
  return null;
}

const stageColor = (value: string) => STAGE_COLORS[value as keyof typeof STAGE_COLORS];

export function CustomerList() {
  const isSmall = useMediaQuery((theme: Theme) => theme.breakpoints.down('sm'));
  const isMedium = useMediaQuery((theme: Theme) => theme.breakpoints.down('lg'));
  const [locale] = useLocaleState();
  const translate = useTranslate();
  // Admins and managers select rows and reassign them in bulk.
  const { canAccess: canReassign } = useCanAccess({ resource: 'customers', action: 'reassign' });
  return (
    <List<Row>
      filters={customerFilters}
      actions={<ListActions />}
      sort={customerListDefaults.sort}
      perPage={customerListDefaults.perPage}
      empty={<CustomersEmpty />}
      exporter={false}
      // The table scrolls sideways on its own: an overflow on the list content would clip the
      // bulk actions toolbar, which slides in above it.
      sx={{ '& .RaDataTable-tableWrapper': { overflowX: 'auto' } }}
    >
      <PrePaintHandOver />
      {isSmall ? (
        <SimpleList<Row>
          primaryText={(record) => record.legalName}
          secondaryText={(record) => `${regionName(record.territory, locale)} · ${record.owner?.name ?? ''}`}
          tertiaryText={(record) => (record.lifecycleStage ? translate(`enums.LifecycleStage.${record.lifecycleStage}`) : '')}
          linkType="show"
        />
      ) : (
        <DataTable<Row> rowClick="show" bulkActionButtons={canReassign ? <ReassignButton /> : false} data-testid="customer-table">
          <DataTable.Col source="legalName" />
          <DataTable.Col source="lifecycleStage">
            <EnumField source="lifecycleStage" type="LifecycleStage" chip color={stageColor} />
          </DataTable.Col>
          {isMedium ? null : (
            <DataTable.Col source="region" label="resources.customers.fields.regionId" disableSort>
              <RegionNameField source="region" />
            </DataTable.Col>
          )}
          {/* Every column but region and industry sorts on the server (customerResource.ts CUSTOMER_SORTS). */}
          <DataTable.Col source="territory" label="resources.customers.fields.territory">
            <RegionNameField source="territory" />
          </DataTable.Col>
          <DataTable.Col source="owner.name" label="resources.customers.fields.owner" />
          <DataTable.Col source="grade" />
          {isMedium ? null : <DataTable.Col source="industry" disableSort />}
          {isMedium ? null : (
            <DataTable.Col source="lastInteractionAt">
              <DateTimeField source="lastInteractionAt" />
            </DataTable.Col>
          )}
          {isMedium ? null : (
            <DataTable.Col source="lastOrderAt">
              <DateTimeField source="lastOrderAt" />
            </DataTable.Col>
          )}
          {isMedium ? null : (
            <DataTable.Col source="updatedAt">
              <DateTimeField source="updatedAt" />
            </DataTable.Col>
          )}
        </DataTable>
      )}
    </List>
  );
}

export default CustomerList;
