package io.inlay.cli.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The few SVG pieces the report's charts are made of: a plot area with labelled axes (linear or
 * log), ticks at round numbers, and text escaped for XML. Coordinates are the viewBox's units;
 * charts scale to the page's width. Not thread-safe; one per chart.
 */
final class Svg {
    static final double WIDTH = 360;
    static final double LEFT = 50;
    static final double RIGHT = 10;
    static final double TOP = 12;
    static final double BOTTOM = 38;

    private final StringBuilder sb = new StringBuilder();
    final double height;

    Svg(double height, String chart, String label) {
        this.height = height;
        sb.append("<svg class=\"chart\" data-chart=\"").append(esc(chart)).append("\" viewBox=\"0 0 ").append(n(WIDTH)).append(' ')
                .append(n(height)).append("\" role=\"img\" aria-label=\"").append(esc(label)).append("\">");
    }

    double plotLeft() {
        return LEFT;
    }

    double plotRight() {
        return WIDTH - RIGHT;
    }

    double plotTop() {
        return TOP;
    }

    double plotBottom() {
        return height - BOTTOM;
    }

    Svg raw(String s) {
        sb.append(s);
        return this;
    }

    Svg line(double x1, double y1, double x2, double y2, String cls) {
        sb.append("<line class=\"").append(cls).append("\" x1=\"").append(n(x1)).append("\" y1=\"").append(n(y1)).append("\" x2=\"")
                .append(n(x2)).append("\" y2=\"").append(n(y2)).append("\"/>");
        return this;
    }

    Svg text(double x, double y, String anchor, String cls, String s) {
        sb.append("<text class=\"").append(cls).append("\" x=\"").append(n(x)).append("\" y=\"").append(n(y))
                .append("\" text-anchor=\"").append(anchor).append("\">").append(esc(s)).append("</text>");
        return this;
    }

    /** A data point: a circle with its values as attributes and a tooltip. */
    Svg point(double x, double y, String color, String series, String xValue, String yValue, String tip) {
        sb.append("<circle class=\"pt\" data-series=\"").append(esc(series)).append("\" data-x=\"").append(esc(xValue))
                .append("\" data-y=\"").append(esc(yValue)).append("\" cx=\"").append(n(x)).append("\" cy=\"").append(n(y))
                .append("\" r=\"3\" fill=\"").append(color).append("\"><title>").append(esc(tip)).append("</title></circle>");
        return this;
    }

    /** A data rectangle (a bar or a bar's segment). */
    Svg bar(double x, double y, double w, double h, String color, String series, String xValue, String yValue, String tip) {
        sb.append("<rect class=\"pt\" data-series=\"").append(esc(series)).append("\" data-x=\"").append(esc(xValue))
                .append("\" data-y=\"").append(esc(yValue)).append("\" x=\"").append(n(x)).append("\" y=\"").append(n(y))
                .append("\" width=\"").append(n(Math.max(0, w))).append("\" height=\"").append(n(Math.max(0, h))).append("\" fill=\"")
                .append(color).append("\"><title>").append(esc(tip)).append("</title></rect>");
        return this;
    }

    Svg polyline(List<double[]> xy, String color, String cls) {
        if (xy.size() < 2) {
            return this;
        }
        sb.append("<polyline class=\"").append(cls).append("\" fill=\"none\" stroke=\"").append(color).append("\" points=\"");
        for (double[] p : xy) {
            sb.append(n(p[0])).append(',').append(n(p[1])).append(' ');
        }
        sb.setLength(sb.length() - 1);
        sb.append("\"/>");
        return this;
    }

    /** A linear y axis from {@code lo} to {@code hi} with round ticks and grid lines; returns the scale. */
    Scale yLinear(double lo, double hi, String label) {
        double[] ticks = ticks(lo, hi);
        Scale s = new Scale(ticks[0], ticks[ticks.length - 1], plotBottom(), plotTop(), false);
        for (double t : ticks) {
            double y = s.at(t);
            line(plotLeft(), y, plotRight(), y, "grid");
            text(plotLeft() - 4, y + 3.5, "end", "tick", num(t));
        }
        yLabel(label);
        return s;
    }

    /** A log10 y axis covering {@code lo..hi} (both > 0), ticks at powers of ten. */
    Scale yLog(double lo, double hi, String label) {
        int a = (int) Math.floor(Math.log10(lo));
        int b = (int) Math.ceil(Math.log10(hi));
        if (b == a) {
            b = a + 1;
        }
        Scale s = new Scale(Math.pow(10, a), Math.pow(10, b), plotBottom(), plotTop(), true);
        for (int e = a; e <= b; e++) {
            double y = s.at(Math.pow(10, e));
            line(plotLeft(), y, plotRight(), y, "grid");
            text(plotLeft() - 4, y + 3.5, "end", "tick", num(Math.pow(10, e)));
        }
        yLabel(label);
        return s;
    }

    private void yLabel(String label) {
        double cy = (plotTop() + plotBottom()) / 2;
        sb.append("<text class=\"axis\" text-anchor=\"middle\" transform=\"translate(11,").append(n(cy)).append(") rotate(-90)\">")
                .append(esc(label)).append("</text>");
    }

    /** The x axis line and its label. */
    void xAxis(String label) {
        line(plotLeft(), plotBottom(), plotRight(), plotBottom(), "axisline");
        line(plotLeft(), plotTop(), plotLeft(), plotBottom(), "axisline");
        text((plotLeft() + plotRight()) / 2, height - 6, "middle", "axis", label);
    }

    String end() {
        return sb.append("</svg>").toString();
    }

    /** Maps values onto a pixel range. */
    record Scale(double lo, double hi, double pixLo, double pixHi, boolean log) {
        double at(double v) {
            double f;
            if (log) {
                double c = Math.max(v, lo);
                f = (Math.log10(c) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
            } else {
                f = hi == lo ? 0 : (v - lo) / (hi - lo);
            }
            return pixLo + f * (pixHi - pixLo);
        }
    }

    /** Round tick values covering lo..hi: steps of 1, 2 or 5 times a power of ten, 3 to 7 of them. */
    static double[] ticks(double lo, double hi) {
        if (!(hi > lo)) {
            hi = lo + (lo == 0 ? 1 : Math.abs(lo) * 0.1);
        }
        double raw = (hi - lo) / 5;
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = raw / p < 1.5 ? p : raw / p < 3.5 ? 2 * p : raw / p < 7.5 ? 5 * p : 10 * p;
        double start = Math.floor(lo / step) * step;
        double stop = Math.ceil(hi / step) * step;
        List<Double> l = new ArrayList<>();
        for (double t = start; t <= stop + step * 1e-9; t += step) {
            l.add(Math.abs(t) < step * 1e-9 ? 0 : t);
        }
        return l.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** A number for a tick or a tooltip: short, no trailing zeros, k/M for large values. */
    static String num(double v) {
        double a = Math.abs(v);
        if (a >= 1e6) {
            return trim(String.format(Locale.ROOT, "%.2f", v / 1e6)) + "M";
        }
        if (a >= 1e4) {
            return trim(String.format(Locale.ROOT, "%.1f", v / 1e3)) + "k";
        }
        if (a >= 100 || v == 0) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 1) {
            return trim(String.format(Locale.ROOT, "%.2f", v));
        }
        return trim(String.format(Locale.ROOT, "%.4g", v));
    }

    private static String trim(String s) {
        if (!s.contains(".") || s.contains("e")) {
            return s;
        }
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    static String n(double v) {
        return trim(String.format(Locale.ROOT, "%.2f", v));
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t') {
                        b.append(' ');
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
