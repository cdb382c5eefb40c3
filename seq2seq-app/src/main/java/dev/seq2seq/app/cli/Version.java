package dev.seq2seq.app.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * The program's version, the POM's: Maven writes it into {@code version.properties} when it
 * builds, so the jar, the tests and {@code --version} of every command say the same.
 */
final class Version implements IVersionProvider {
    static String number() {
        try (InputStream in = Version.class.getResourceAsStream("/dev/seq2seq/app/version.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {"seq2seq-java " + number() + " (JDK " + Runtime.version() + ", "
                + System.getProperty("os.arch") + ")"};
    }
}
