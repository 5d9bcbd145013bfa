/** A clock the test moves by hand. */
export function manualClock(start = new Date()) {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    advance: (ms: number) => {
      t += ms;
    },
  };
}

let tableCounter = 0;
/** A fresh table name per test, for files that share one fake AWS. */
export function uniqueTableName(prefix: string, label: string): string {
  tableCounter += 1;
  return `${prefix}-${label}-${tableCounter}`;
}
