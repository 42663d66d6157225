// Apache ECharts in React: the one wrapper every chart of the console goes through. Only the chart types
// and components the console uses are registered (echarts/core), so the bundle carries no more; the canvas
// renderer draws inside the page, nothing is fetched. A chart is a picture for sighted users: its container
// is an image named by `label`, and every screen shows the same numbers in a table beside it.
import { BarChart, LineChart } from 'echarts/charts';
import { DatasetComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { type ComposeOption, type EChartsType, init, use as registerCharts } from 'echarts/core';
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import type { DatasetComponentOption, GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

registerCharts([BarChart, LineChart, DatasetComponent, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/** What a chart of the console may draw: bars and lines on a grid, with a legend and a tooltip. */
export type ChartOption = ComposeOption<BarSeriesOption | LineSeriesOption | DatasetComponentOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

interface ChartProps {
  readonly option: ChartOption;
  /** What the chart shows, for screen readers (role="img"). */
  readonly label: string;
  readonly height?: number;
}

/** One ECharts chart: drawn on mount, redrawn whole when `option` changes, resized with its container. */
export function Chart({ option, label, height = 280 }: ChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const instance = init(element, undefined, { renderer: 'canvas' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return <div ref={container} role="img" aria-label={label} style={{ width: '100%', height }} />;
}
