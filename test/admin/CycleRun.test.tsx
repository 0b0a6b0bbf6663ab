// @vitest-environment jsdom
import '@testing-library/jest-dom/vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connection, fakeApi, renderConsole, signInAs } from './harness';

const CYCLE_ID = '00000000-0000-4000-8000-000000000c01';

function cycle(status: string, version = 1) {
  return {
    id: CYCLE_ID,
    version,
    name: 'FY2025',
    periodStart: '2025-01-01',
    periodEnd: '2025-12-31',
    status,
    computedAt: status === 'DRAFT' ? null : '2026-11-23T03:00:00.000Z',
    publishedAt: status === 'PUBLISHED' ? '2026-11-23T04:00:00.000Z' : null,
    createdAt: '2026-11-23T02:00:00.000Z',
    updatedAt: '2026-11-23T02:00:00.000Z',
    weights: { purchaseCount: 0.15, purchaseAmount: 0.3, amountPaid: 0.25, paymentTimeliness: 0.15, contribution: 0.15 },
    grades: [
      { name: 'Key account', minScore: 80 },
      { name: 'Quality', minScore: 60 },
      { name: 'Normal', minScore: 0 },
    ],
    valueModel: { marginRate: 0.2, costPerInteraction: '50.00' },
  };
}

function run(status: string, done: number, total = 125) {
  return {
    cycleId: CYCLE_ID,
    status,
    phase: status === 'DONE' ? 'FINISHED' : done < 100 ? 'METRICS' : 'SCORING',
    done,
    total,
    share: status === 'DONE' ? 1 : done / total,
    customers: 100,
    etaSeconds: status === 'RUNNING' ? 3 : null,
    startedAt: '2026-11-23T03:00:00.000Z',
    finishedAt: status === 'DONE' ? '2026-11-23T03:00:05.000Z' : null,
    error: null,
  };
}

const distribution = {
  total: 100,
  quadrants: [
    { quadrant: 'I', count: 62, share: 0.62, targetMin: 0.6, targetMax: 0.7, withinTarget: true },
    { quadrant: 'II', count: 22, share: 0.22, targetMin: 0.2, targetMax: 0.3, withinTarget: true },
    { quadrant: 'III', count: 12, share: 0.12, targetMin: 0.1, targetMax: 0.2, withinTarget: true },
    { quadrant: 'IV', count: 4, share: 0.04, targetMin: 0, targetMax: 0.05, withinTarget: true },
  ],
  grades: [
    { grade: 'Key account', count: 10, share: 0.1 },
    { grade: 'Quality', count: 30, share: 0.3 },
    { grade: 'Normal', count: 60, share: 0.6 },
  ],
  valueTiers: [{ tier: 'MVC', count: 20, share: 0.2 }],
  movements: [{ movement: 'NEW', count: 100, share: 1 }],
  pareto: { topCustomers: 20, topRevenue: '80000.00', totalRevenue: '100000.00', revenueShare: 0.8 },
};

beforeEach(() => {
  localStorage.clear();
});

afterEach(() => {
  cleanup();
});

describe('evaluation cycle run', () => {
  it('runs a cycle, follows its progress by polling evaluationRun, then shows the results', async () => {
    signInAs('ADMIN');
    let state = cycle('DRAFT');
    // What successive evaluationRun polls answer once the run has started.
    const progress = [run('RUNNING', 20), run('RUNNING', 69), run('DONE', 125)];
    let started = false;
    const api = fakeApi({
      AdminEvaluationCycleById: () => ({ evaluationCycle: state }),
      AdminEvaluationRun: () => {
        if (!started) return { evaluationRun: null };
        const next = progress.length > 1 ? progress.shift()! : progress[0]!;
        if (next.status === 'DONE') state = cycle('COMPUTED', 2);
        return { evaluationRun: next };
      },
      AdminRunEvaluationCycle: (variables) => {
        expect(variables).toEqual({ id: CYCLE_ID });
        started = true;
        return { runEvaluationCycle: run('RUNNING', 0) };
      },
      AdminEvaluationDistribution: () => ({ evaluationDistribution: distribution }),
    });
    renderConsole(`/evaluationCycles/${CYCLE_ID}/show`, api);
    expect(await screen.findByTestId('cycle-name')).toHaveTextContent('FY2025');
    // The definition as percentages; no results before a run.
    expect(screen.getByText('30%')).toBeInTheDocument();
    expect(screen.getByText('Run the cycle to see its results.')).toBeInTheDocument();
    const panel = await screen.findByTestId('run-panel');
    await within(panel).findByText(/Not computed yet/);

    fireEvent.click(within(panel).getByRole('button', { name: 'Run' }));
    const bar = await within(panel).findByRole('progressbar', { name: 'Computation progress' });
    expect(bar).toHaveAttribute('aria-valuenow', '0');
    await waitFor(() => expect(within(panel).getByRole('progressbar')).toHaveAttribute('aria-valuenow', '16'));
    expect(within(panel).getByText(/Measuring customers · 20 of 125 steps · about 3 s left/)).toBeInTheDocument();
    await waitFor(() => expect(within(panel).getByRole('progressbar')).toHaveAttribute('aria-valuenow', '55'));
    await within(panel).findByTestId('run-done');
    expect(within(panel).getByText(/100 customers evaluated/)).toBeInTheDocument();

    // Finished: the cycle reloads as COMPUTED, its results show, and it can be published.
    await waitFor(() => expect(screen.getByTestId('cycle-status')).toHaveTextContent('Computed'));
    expect(await screen.findByTestId('pareto-summary')).toHaveTextContent('The top 20 customers bring 80% of the revenue.');
    expect(screen.getByTestId('chart-cycle-quadrants')).toBeInTheDocument();
    expect(screen.getByTestId('chart-cycle-grades')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Publish' })).toBeInTheDocument();
    expect(api.operations().filter((name) => name === 'AdminEvaluationDistribution')).toHaveLength(1);
    // Polling stops once the run is done.
    const polls = api.operations().filter((name) => name === 'AdminEvaluationRun').length;
    await new Promise((done) => setTimeout(done, 1500));
    expect(api.operations().filter((name) => name === 'AdminEvaluationRun')).toHaveLength(polls);
  });

  it('shows a manager the results without the run controls', async () => {
    signInAs('MANAGER');
    const api = fakeApi({
      AdminEvaluationCycleById: () => ({ evaluationCycle: cycle('PUBLISHED') }),
      AdminEvaluationDistribution: () => ({ evaluationDistribution: distribution }),
    });
    renderConsole(`/evaluationCycles/${CYCLE_ID}/show`, api);
    expect(await screen.findByTestId('pareto-summary')).toBeInTheDocument();
    expect(screen.queryByTestId('run-panel')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Publish' })).not.toBeInTheDocument();
    expect(api.operations()).not.toContain('AdminEvaluationRun');
  });

  it('lists cycles and validates a new definition before sending it', async () => {
    signInAs('ADMIN');
    const thisYear = new Date().getUTCFullYear();
    const api = fakeApi({
      AdminEvaluationCycles: () => ({ evaluationCycles: connection([cycle('PUBLISHED')], 1) }),
      AdminCreateEvaluationCycle: (variables) => ({ createEvaluationCycle: { ...cycle('DRAFT'), ...variables.input, id: CYCLE_ID } }),
      AdminEvaluationCycleById: () => ({ evaluationCycle: cycle('DRAFT') }),
      AdminEvaluationRun: () => ({ evaluationRun: null }),
      // Last calendar year is taken: the form proposes this year instead.
      AdminCyclePeriods: () => ({
        evaluationCycles: connection([{ id: CYCLE_ID, periodStart: `${thisYear - 1}-01-01`, periodEnd: `${thisYear - 1}-12-31` }], 1),
      }),
    });
    renderConsole('/evaluationCycles', api);
    await screen.findByText('FY2025');
    expect(screen.getByTestId('cycle-status')).toHaveTextContent('Published');
    fireEvent.click(screen.getByRole('link', { name: 'Create' }));
    const weight = await screen.findByRole('spinbutton', { name: /Purchase amount/ });
    expect(screen.getByTestId('weight-total')).toHaveTextContent('Total: 100%');
    fireEvent.change(weight, { target: { value: '40' } });
    await waitFor(() => expect(screen.getByTestId('weight-total')).toHaveTextContent('Total: 110%'));
    expect(screen.getByTestId('weight-total')).toHaveTextContent('The weights must add up to 100%');
    const save = screen.getByRole('button', { name: 'Save' });
    fireEvent.click(save);
    expect(await screen.findByText('The form is not valid. Please check for errors')).toBeInTheDocument();
    expect(api.operations()).not.toContain('AdminCreateEvaluationCycle');
    fireEvent.change(weight, { target: { value: '30' } });
    await waitFor(() => expect(screen.getByTestId('weight-total')).toHaveTextContent('Total: 100% (must be 100%)'));
    await waitFor(() => expect(save).toBeEnabled());
    fireEvent.click(save);
    await waitFor(() => expect(api.operations()).toContain('AdminCreateEvaluationCycle'));
    const input = api.calls.find((call) => call.operationName === 'AdminCreateEvaluationCycle')!.variables.input;
    expect(input.weights).toEqual({
      purchaseCount: 0.15,
      purchaseAmount: 0.3,
      amountPaid: 0.25,
      paymentTimeliness: 0.15,
      contribution: 0.15,
    });
    expect(input.grades).toEqual([
      { name: 'Key account', minScore: 80 },
      { name: 'Quality', minScore: 60 },
      { name: 'VIP', minScore: 40 },
      { name: 'Normal', minScore: 0 },
    ]);
    expect(input.valueModel).toEqual({ marginRate: 0.2, costPerInteraction: '50.00' });
    expect(input).toMatchObject({ name: `FY${thisYear}`, periodStart: `${thisYear}-01-01`, periodEnd: `${thisYear}-12-31` });
  });
});
