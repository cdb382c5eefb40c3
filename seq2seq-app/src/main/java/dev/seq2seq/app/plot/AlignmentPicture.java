package dev.seq2seq.app.plot;

import dev.seq2seq.nn.io.AtomicFile;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.DefaultXYZDataset;

/**
 * A translation's attention as a heat-map PNG: the source tokens along the top, the output tokens
 * down the side (read from top to bottom, as the decoder wrote them), each cell the weight the
 * output token gave the source token, from white (0) to dark blue (1), with the scale beside it.
 */
public final class AlignmentPicture {
    /** Pixels per cell, and the bounds of the picture. */
    private static final int CELL = 28;
    private static final int MARGIN = 160;
    private static final int MAX_SIDE = 4000;
    /** About the width of one character of the 14-point labels, in pixels. */
    private static final int LABEL_CHARACTER = 9;
    private static final Color DARKEST = new Color(0x08, 0x30, 0x6b);

    private AlignmentPicture() {
    }

    /**
     * Writes the picture of {@code weights} ([output tokens][source tokens]) to {@code file},
     * atomically; {@code title} goes on top (the source sentence, say).
     */
    public static void write(Path file, String title, List<String> sourceTokens, List<String> outputTokens,
                             float[][] weights) throws IOException {
        System.setProperty("java.awt.headless", "true");
        ImageIO.setUseCache(false); // no buffer file in the system's temporary folder
        JFreeChart chart = chart(title, sourceTokens, outputTokens, weights);
        // room for the labels: words run down from the top (see verticalLabels), and along the side
        int sourceLabels = verticalLabels(sourceTokens) ? LABEL_CHARACTER * longest(sourceTokens) : 0;
        int outputLabels = LABEL_CHARACTER * longest(outputTokens);
        int width = Math.min(MAX_SIDE, MARGIN + CELL * Math.max(1, sourceTokens.size()) + 120 + outputLabels);
        int height = Math.min(MAX_SIDE, MARGIN + CELL * Math.max(1, outputTokens.size()) + sourceLabels);
        AtomicFile.write(file, out -> ChartUtils.writeChartAsPNG(out, chart, width, height));
    }

    static JFreeChart chart(String title, List<String> sourceTokens, List<String> outputTokens, float[][] weights) {
        int rows = outputTokens.size();
        int columns = sourceTokens.size();
        double[] x = new double[rows * columns];
        double[] y = new double[rows * columns];
        double[] z = new double[rows * columns];
        for (int j = 0; j < rows; j++) {
            for (int i = 0; i < columns; i++) {
                int cell = j * columns + i;
                x[cell] = i;
                y[cell] = j;
                z[cell] = i < weights[j].length ? weights[j][i] : 0;
            }
        }
        DefaultXYZDataset dataset = new DefaultXYZDataset();
        dataset.addSeries("attention", new double[][] {x, y, z});

        SymbolAxis source = new SymbolAxis("source", visible(sourceTokens));
        source.setTickLabelFont(new Font(Font.MONOSPACED, Font.PLAIN, 14));
        source.setGridBandsVisible(false);
        source.setVerticalTickLabels(verticalLabels(sourceTokens));
        SymbolAxis output = new SymbolAxis("output", visible(outputTokens));
        output.setTickLabelFont(new Font(Font.MONOSPACED, Font.PLAIN, 14));
        output.setGridBandsVisible(false);
        output.setInverted(true); // the first output token on top

        LookupPaintScale scale = new LookupPaintScale(0, 1.0001, Color.WHITE);
        for (int step = 0; step <= 20; step++) {
            double value = step / 20.0;
            scale.add(value, blend(value));
        }
        XYBlockRenderer renderer = new XYBlockRenderer();
        renderer.setPaintScale(scale);
        XYPlot plot = new XYPlot(dataset, source, output, renderer);
        plot.setDomainAxisLocation(AxisLocation.TOP_OR_LEFT);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);

        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        NumberAxis legendAxis = new NumberAxis("weight");
        legendAxis.setRange(0, 1);
        PaintScaleLegend legend = new PaintScaleLegend(scale, legendAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setMargin(4, 4, 4, 4);
        legend.setStripWidth(12);
        chart.addSubtitle(legend);
        return chart;
    }

    /**
     * Whether the source labels are written downwards: a cell is as wide as a character, so words
     * (and pieces) laid side by side would overlap.
     */
    static boolean verticalLabels(List<String> tokens) {
        return longest(tokens) > 2;
    }

    private static int longest(List<String> tokens) {
        return tokens.stream().mapToInt(token -> token.codePointCount(0, token.length())).max().orElse(1);
    }

    /** White at 0 to dark blue at 1. */
    private static Color blend(double value) {
        return new Color((int) Math.round(255 + (DARKEST.getRed() - 255) * value),
                (int) Math.round(255 + (DARKEST.getGreen() - 255) * value),
                (int) Math.round(255 + (DARKEST.getBlue() - 255) * value));
    }

    /** Tokens as axis labels: a space shown as the open-box sign, so it can be seen. */
    private static String[] visible(List<String> tokens) {
        return tokens.stream().map(token -> token.equals(" ") ? "\u2423" : token).toArray(String[]::new);
    }
}
