package com.doordash.pedregal.coreetl;

import static org.assertj.core.api.Assertions.assertThat;

import com.doordash.pedregal.coreetl.testcluster.ReadOnlyExtensions;
import com.doordash.pedregal.model.driver.DriverClasses;
import com.doordash.pedregal.model.driver.DriverFiles;
import com.doordash.pedregal.model.driver.DriverOutput;
import org.junit.jupiter.api.Test;

/** The gateway names these classes without loading them: a renamed class must fail here, not at a job's start. */
final class DriverClassesTest {
    @Test
    void everyClassTheGatewayNamesIsTheClassOfThisJar() {
        assertThat(DriverClasses.CORE_ETL_MAIN).isEqualTo(CoreEtlMain.class.getName());
        assertThat(DriverClasses.DEMO_DATA_MAIN).isEqualTo(DemoData.class.getName());
        assertThat(DriverClasses.QUERY_MAIN).isEqualTo(QueryMain.class.getName());
        assertThat(DriverClasses.PLAYGROUND_TOOL_MAIN).isEqualTo(PlaygroundTool.class.getName());
        assertThat(DriverClasses.WARM_DRIVER_MAIN).isEqualTo(WarmDriverMain.class.getName());
        assertThat(DriverClasses.PARENT_BOUND_MAIN).isEqualTo(ParentBoundMain.class.getName());
        assertThat(DriverClasses.EVENTS_LISTENER).isEqualTo(PlatformEventsListener.class.getName());
        assertThat(DriverClasses.DRIVER_WALL).isEqualTo(DriverWall.class.getName());
        assertThat(DriverClasses.READ_ONLY_EXTENSIONS).isEqualTo(ReadOnlyExtensions.class.getName());
    }

    @Test
    void theDriverUsesTheFileNamesAndOutputPrefixesOfTheProtocol() {
        assertThat(WarmDriverMain.ASSIGNMENT_FILE).isEqualTo(DriverFiles.ASSIGNMENT);
        assertThat(WarmDriverMain.READY_FILE).isEqualTo(DriverFiles.READY);
        assertThat(PlaygroundTool.RESULT).isEqualTo(DriverOutput.PLAYGROUND_TOOL_RESULT);
        assertThat(PlaygroundTool.FAILED).isEqualTo(DriverOutput.PLAYGROUND_TOOL_FAILED);
    }
}
