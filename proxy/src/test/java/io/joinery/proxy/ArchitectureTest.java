package io.joinery.proxy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The request pipeline's packages, in the order a request goes through them, depend forward only
 * (docs/architecture.md): a package may use those after it, never one before it, and no two
 * packages depend on each other. {@code io.joinery.proxy} itself, {@code cli}, {@code config},
 * {@code embedded} and {@code demo} start and wire the stages, and stand before them all.
 */
class ArchitectureTest {

    /** From the outside in: the WebSocket and HTTP edges first, errors (which every stage throws) last. */
    static final List<String> STAGES = List.of("subscription", "http", "engine", "parse", "join", "action", "compile", "execute", "sql", "plan", "schema",
            "response", "remote", "error");

    static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.joinery.proxy");
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("io.joinery.proxy.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void eachStageDependsOnlyOnTheStagesAfterIt() {
        for (int i = 1; i < STAGES.size(); i++) {
            String[] before = STAGES.subList(0, i).stream().map(stage -> "io.joinery.proxy." + stage + "..").toArray(String[]::new);
            noClasses().that().resideInAPackage("io.joinery.proxy." + STAGES.get(i) + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(before)
                    .because("the stages depend forward only: " + STAGES)
                    .check(classes);
        }
    }

    @Test
    void noStageDependsOnTheWiring() {
        String[] stages = STAGES.stream().map(stage -> "io.joinery.proxy." + stage + "..").toArray(String[]::new);
        noClasses().that().resideInAnyPackage(stages)
                .should().dependOnClassesThat().resideInAnyPackage("io.joinery.proxy", "io.joinery.proxy.cli..", "io.joinery.proxy.config..",
                        "io.joinery.proxy.embedded..", "io.joinery.proxy.demo..")
                .check(classes);
    }
}
