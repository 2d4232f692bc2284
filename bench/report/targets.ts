import type { MemoryMeasurement, ScenarioName, TargetCheck } from './results.js';

/**
 * The targets of the issue "Prove it: benchmark against a bare oidc-provider": never slower than 0.9x the bare
 * library on any scenario, the absolute floors below per server CPU-second, and at most 2 KB of Redis per session.
 */
export const TARGETS = {
  minRatio: 0.9,
  minPerCpuSecond: { discovery: 20_000, jwks: 20_000, 'full-sign-in': 50 } as Partial<Record<ScenarioName, number>>,
  maxBytesPerSession: 2048,
} as const;

export function scenarioChecks(name: ScenarioName, oursPerCpuSecond: number, ratioToBaseline: number): TargetCheck[] {
  const checks: TargetCheck[] = [
    { description: `≥ ${TARGETS.minRatio}× baseline`, met: Number.isFinite(ratioToBaseline) && ratioToBaseline >= TARGETS.minRatio },
  ];
  const floor = TARGETS.minPerCpuSecond[name];
  if (floor !== undefined) {
    checks.push({
      description: `≥ ${floor.toLocaleString('en-US')}/CPU-s`,
      met: Number.isFinite(oursPerCpuSecond) && oursPerCpuSecond >= floor,
    });
  }
  return checks;
}

/** The session-size target applies to what a signed-in person keeps in Redis (see MemoryMeasurement). */
export function memoryChecks(ours: MemoryMeasurement): TargetCheck[] {
  return [
    {
      description: `≤ ${TARGETS.maxBytesPerSession.toLocaleString('en-US')} bytes per active session`,
      met: ours.longLivedBytesPerSession <= TARGETS.maxBytesPerSession,
    },
  ];
}
