import java.io.PrintWriter;
import java.util.List;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs ConvCL's OpenCL-tagged tests (the differential and contract suite) where there is no Maven:
 * scripts/gpu-check calls it with the carried test classes and jars on the classpath. Prints
 * JUnit's summary and every failure; exits 1 when a test failed or none ran.
 */
public final class RunOpenClTests {
  private RunOpenClTests() {}

  public static void main(String[] args) {
    LauncherDiscoveryRequest request =
        LauncherDiscoveryRequestBuilder.request()
            .selectors(DiscoverySelectors.selectPackage("org.convcl"))
            .filters(TagFilter.includeTags(args.length > 0 ? List.of(args) : List.of("opencl")))
            .build();
    Launcher launcher = LauncherFactory.create();
    SummaryGeneratingListener summary = new SummaryGeneratingListener();
    launcher.execute(request, summary, new EachTest());
    TestExecutionSummary s = summary.getSummary();
    PrintWriter out = new PrintWriter(System.out, true);
    s.printTo(out);
    s.printFailuresTo(out, 25);
    System.exit(s.getTotalFailureCount() > 0 || s.getTestsSucceededCount() == 0 ? 1 : 0);
  }

  /** One line per finished test: its status, class and name, so a failure on a far machine says where. */
  private static final class EachTest implements TestExecutionListener {
    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
      if (id.isTest()) {
        System.out.println("TEST " + result.getStatus() + " " + id.getUniqueId());
      }
    }
  }
}
