// wt-stream: the heap a loaded Marketplace holds after collections. java -XX:+UseSerialGC -cp "cli/target/cxpm.jar:cli/target/lib/*" bench/scale/MarketplaceHeld.java MARKETPLACE-ROOT
import dev.cxpm.core.format.marketplace.Marketplace;
import java.nio.file.Path;
public class MarketplaceHeld {
    public static void main(String[] a) throws Exception {
        Runtime r = Runtime.getRuntime();
        System.gc(); long before = r.totalMemory() - r.freeMemory();
        Marketplace m = Marketplace.load(Path.of(a[0]));
        System.gc(); System.gc(); long after = r.totalMemory() - r.freeMemory();
        System.out.printf("entries=%d held=%.1f MB%n", m.plugins().size(), (after - before) / 1048576.0);
    }
}
