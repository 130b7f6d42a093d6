import { useBalances } from '../../api';
import { LoadableView } from '../../components/LoadableView';
import { formatAmount } from '../../lib/decimal';

const DECIMALS: Record<string, number> = { USD: 2, USDT: 2, USDC: 2 };

/** Balances: total, reserved by open orders, and available, per asset. */
export function Balances() {
  const balances = useBalances();
  return (
    <div data-testid="balances">
      <LoadableView value={balances}>
        {(bs) => (
          <table className="compact tight">
            <thead>
              <tr>
                <th>Asset</th>
                <th className="num">Total</th>
                <th className="num">Reserved</th>
                <th className="num">Available</th>
              </tr>
            </thead>
            <tbody>
              {bs.map((b) => {
                const d = DECIMALS[b.asset] ?? 5;
                return (
                  <tr key={b.asset} data-asset={b.asset}>
                    <td>{b.asset}</td>
                    <td className="num">{formatAmount(b.total, d)}</td>
                    <td className="num muted">{formatAmount(b.reserved, d)}</td>
                    <td className="num">{formatAmount(b.available, d)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </LoadableView>
    </div>
  );
}
