// The Reports screen's charts, drawn by Chart.js (only the parts used are registered, so the
// bundle carries no more of it). Imported on demand: Chart.js is not in the start-up bundle.
// Every label and tooltip is formatted from the report's exact decimal strings; numbers are used
// only for the length of a bar or the angle of a slice.
import { ArcElement, BarController, BarElement, CategoryScale, Chart, DoughnutController, Legend, LinearScale, Tooltip } from 'chart.js';
import { formatMoney, type Lang } from './format';
import { barLength, type DaySeries, type PosSlice } from './chart-data';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, DoughnutController, ArcElement, Legend, Tooltip);

const SALES = '#2a5296';
const BACK = '#b3261e';
/** Distinct, print-safe colours for the POS mix (contrast ≥ 3:1 on white). */
export const POS_COLOURS = ['#2a5296', '#b3541e', '#1d7a4e', '#7b3fa0', '#a3186b', '#0f6f86', '#6b5d00', '#5a5a5a'];

const common = { animation: false as const, responsive: true, maintainAspectRatio: false };

export function drawDays(canvas: HTMLCanvasElement, series: DaySeries, currency: string, lang: Lang, names: { sales: string; back: string }): Chart | null {
  if (!canvas.getContext('2d')) return null;
  const money = (amount: string) => formatMoney(amount, currency, lang);
  const amounts = [series.sales, series.back];
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels: series.labels,
      datasets: [
        { label: names.sales, data: series.sales.map(barLength), backgroundColor: SALES },
        { label: names.back, data: series.back.map(barLength), backgroundColor: BACK },
      ],
    },
    options: {
      ...common,
      scales: {
        y: { beginAtZero: true, ticks: { callback: (value) => money(String(value)) } },
      },
      plugins: {
        legend: { position: 'bottom' },
        tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${money(amounts[item.datasetIndex]?.[item.dataIndex] ?? '0')}` } },
      },
    },
  });
}

export function drawPosMix(canvas: HTMLCanvasElement, slices: PosSlice[], currency: string, lang: Lang): Chart | null {
  if (!canvas.getContext('2d')) return null;
  const money = (amount: string) => formatMoney(amount, currency, lang);
  return new Chart(canvas, {
    type: 'doughnut',
    data: {
      labels: slices.map((s) => s.pos),
      datasets: [{ data: slices.map((s) => barLength(s.sales)), backgroundColor: slices.map((_, i) => POS_COLOURS[i % POS_COLOURS.length]) }],
    },
    options: {
      ...common,
      plugins: {
        legend: { position: 'right' },
        tooltip: { callbacks: { label: (item) => `${item.label}: ${money(slices[item.dataIndex]?.sales ?? '0')}` } },
      },
    },
  });
}
