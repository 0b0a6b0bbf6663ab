/** English messages of the dashboard; messages.zh.ts mirrors every key (typed by DashboardMessages). */
export const dashboardEn = {
  title: 'Dashboard',
  welcome: 'Welcome, %{name}',
  totalCustomers: 'Customers',
  byRegion: 'Customers per region',
  customers: 'Customers',
  openList: 'Open the list',
  total: '%{count} customers',
  funnel: 'Lifecycle funnel',
  entered: 'Ever entered',
  conversion: 'conversion to the next stage',
  overdue: 'Overdue customers',
  overdueCount: '%{count} past the dwell time of their stage',
  noOverdue: 'No customer is past the dwell time of its stage.',
  daysOverdue: 'Days overdue',
  quadrants: 'Quadrants against healthy targets',
  grades: 'Grade distribution',
  cycle: 'Cycle %{name}',
  noCycle: 'No computed evaluation cycle yet.',
  targets: 'Revenue: targets against actuals per region',
  plan: 'Target',
  actual: 'Actual',
  newCustomers: 'New customers',
  year: 'Year',
};

export type DashboardMessages = typeof dashboardEn;
