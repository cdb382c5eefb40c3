package dev.seq2seq.app.plot;

import dev.seq2seq.nn.io.AtomicFile;
import dev.seq2seq.translator.model.TrainingState.EpochRecord;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.text.TextUtils;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The loss per epoch, training and validation, drawn as a PNG next to the checkpoint: one point
 * per epoch, whole-number epoch ticks, the loss axis fitted to the values, the best epoch marked,
 * and the run's settings in the title.
 */
public final class LossCurve {
    static final int WIDTH = 900;
    static final int HEIGHT = 500;
    private static final Color TRAINING = new Color(0x1f, 0x77, 0xb4);
    private static final Color VALIDATION = new Color(0xd6, 0x27, 0x28);

    private LossCurve() {
    }

    /**
     * @param settings one line on the run (cell, latent, batch, learning rate...), shown under the title
     * @param lossKind what the loss is a mean over
     */
    public static void write(Path file, List<EpochRecord> history, String settings, String lossKind)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        // ImageIO would otherwise buffer the PNG in a file of the system's temporary folder: nothing
        // is written outside the folder the user named.
        ImageIO.setUseCache(false);
        // The loss axis's label is drawn turned a quarter. By default JFreeChart draws turned text
        // through a TextLayout (a workaround kept for old JDKs), which on JDK 22 and later starts
        // the HarfBuzz text shaper through the foreign-function API: the first curve of a run took
        // 80-210 ms longer on JDK 25 that way, while the training waits. Drawn with drawString under
        // the rotation, the PNG comes out byte for byte the same (JDK 17 and 25).
        TextUtils.setUseDrawRotatedStringWorkaround(false);
        JFreeChart chart = chart(history, settings, lossKind);
        AtomicFile.write(file, out -> ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT));
    }

    static JFreeChart chart(List<EpochRecord> history, String settings, String lossKind) {
        XYSeries train = new XYSeries("training loss");
        XYSeries validation = new XYSeries("validation loss");
        EpochRecord best = null;
        for (EpochRecord record : history) {
            train.add(record.epoch(), record.trainLoss());
            if (!Double.isNaN(record.validationLoss())) {
                validation.add(record.epoch(), record.validationLoss());
                if (best == null || record.validationLoss() < best.validationLoss()) {
                    best = record;
                }
            }
        }
        XYSeriesCollection series = new XYSeriesCollection(train);
        series.addSeries(validation);

        NumberAxis epochs = new NumberAxis("epoch");
        epochs.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        epochs.setAutoRangeIncludesZero(false);
        NumberAxis loss = new NumberAxis("cross-entropy (" + lossKind + ")");
        loss.setAutoRangeIncludesZero(false); // fitted to the values, not stretched down to 0

        XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, history.size() <= 150);
        lines.setSeriesPaint(0, TRAINING);
        lines.setSeriesPaint(1, VALIDATION);
        Ellipse2D.Double dot = new Ellipse2D.Double(-2.5, -2.5, 5, 5);
        lines.setSeriesShape(0, dot);
        lines.setSeriesShape(1, new Rectangle2D.Double(-2.5, -2.5, 5, 5));
        lines.setSeriesStroke(0, new BasicStroke(1.5f));
        lines.setSeriesStroke(1, new BasicStroke(1.5f));

        XYPlot plot = new XYPlot(series, epochs, loss, lines);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdd, 0xdd, 0xdd));
        plot.setRangeGridlinePaint(new Color(0xdd, 0xdd, 0xdd));
        if (best != null) {
            ValueMarker marker = new ValueMarker(best.epoch(), Color.GRAY, new BasicStroke(1f,
                    BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {4f, 4f}, 0f));
            marker.setLabel(String.format(Locale.ROOT, " best validation: epoch %d, %.4f ", best.epoch(),
                    best.validationLoss()));
            marker.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            // The label on the side of the line with more room, so it is never cut at the plot's edge.
            boolean early = best.epoch() - history.get(0).epoch() < history.size() / 2;
            marker.setLabelAnchor(early ? RectangleAnchor.TOP_RIGHT : RectangleAnchor.TOP_LEFT);
            marker.setLabelTextAnchor(early ? TextAnchor.TOP_LEFT : TextAnchor.TOP_RIGHT);
            plot.addDomainMarker(marker);
        }
        JFreeChart chart = new JFreeChart("seq2seq training: " + settings, new Font(Font.SANS_SERIF, Font.BOLD, 15),
                plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }
}
