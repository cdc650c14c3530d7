# ruff: noqa: E501  (seeded source lines stay on one line, as in real code)
"""Java/Kotlin: logs, install handlers, controllers returning hosts, stores; atlassian-connect-spring-boot
versions from pom.xml and Gradle."""

from __future__ import annotations

from pathlib import Path

from connectsec.code import scan_code
from tests.code.tree import facts, seeded, write_tree

SEEDED = {
    "src/main/java/com/example/TenantController.java": """
        package com.example;

        @RestController
        public class TenantController {
            private static final Logger log = LoggerFactory.getLogger(TenantController.class);
            @Autowired private AtlassianHostRepository hostRepository;

            @PostMapping(value = "/installed")
            public void installed(@RequestBody Map<String, Object> payload) {
                log.info("install payload {}", payload); // SEED: code.install-payload-logged
                log.info("install for {}", payload.get("baseUrl"));
            }

            @GetMapping("/debug/host")
            public AtlassianHost host(@AuthenticationPrincipal AtlassianHostUser user) {
                AtlassianHost host = user.getHost();
                log.debug("secret {}", host.getSharedSecret()); // SEED: code.shared-secret-logged
                return host; // SEED: code.shared-secret-in-response
            }

            @GetMapping("/debug/hosts")
            public Iterable<AtlassianHost> hosts() {
                return hostRepository.findAll(); // SEED: code.shared-secret-in-response
            }

            public void copy(AtlassianHost from, TenantEntity to) {
                to.setSharedSecret(from.getSharedSecret()); // SEED: code.shared-secret-stored-plain
                tenantRepository.save(to);
            }
        }
        """,
    "src/main/kotlin/com/example/JiraLogin.kt": """
        package com.example

        @RestController
        class JiraLogin(private val client: RestTemplateBuilder) {
            private val site = "https://acme.atlassian.net"

            @PostMapping("/jira-login")
            fun login(@RequestParam email: String, @RequestParam token: String): String {
                val rest = client.basicAuthentication(email, token).build() // SEED: code.atlassian-basic-auth
                val headers = HttpHeaders().apply { setBasicAuth(email, token) } // SEED: code.atlassian-basic-auth
                return rest.getForObject("$site/rest/api/3/myself", String::class.java) ?: ""
            }
        }
        """,
}

CLEAN = {
    "src/main/java/com/example/TenantController.java": """
        package com.example;

        @RestController
        public class TenantController {
            private static final Logger log = LoggerFactory.getLogger(TenantController.class);

            @GetMapping("/debug/host")
            public String host(@AuthenticationPrincipal AtlassianHostUser user) {
                AtlassianHost host = user.getHost();
                log.debug("host {}", host.getClientKey());
                return host.getBaseUrl();
            }

            public void copy(AtlassianHost from, TenantEntity to) {
                to.setSharedSecret(vault.encrypt(from.getSharedSecret()));
                tenantRepository.save(to);
            }
        }
        """,
}

POM = """
    <project>
      <properties>
        <acsb.version>2.1.4</acsb.version>
      </properties>
      <dependencies>
        <dependency>
          <groupId>com.atlassian.connect</groupId>
          <artifactId>atlassian-connect-spring-boot-starter</artifactId>
          <version>${acsb.version}</version>
        </dependency>
        <dependency>
          <groupId>org.springframework.boot</groupId>
          <artifactId>spring-boot-starter-web</artifactId>
          <version>2.4.5</version>
        </dependency>
      </dependencies>
    </project>
    """


def test_each_seeded_jvm_problem_is_found_at_its_line(tmp_path: Path) -> None:
    root = write_tree(tmp_path, SEEDED)
    expected = seeded(root)
    assert len(expected) == 7
    assert facts(scan_code(str(root))) == expected


def test_clean_jvm_twin_has_no_fact(tmp_path: Path) -> None:
    scan = scan_code(str(write_tree(tmp_path, CLEAN)))
    assert facts(scan) == set()
    assert scan.count("jvm") == 1


def test_acsb_version_from_pom_property_is_matched_to_its_advisories(tmp_path: Path) -> None:
    scan = scan_code(str(write_tree(tmp_path, {"pom.xml": POM})))
    assert facts(scan) == {("code.acsb-vulnerable", "pom.xml:6")}
    (fact,) = scan.facts
    assert "2.1.4" in fact.detail
    assert "CVE-2021-26077" in fact.detail
    assert "CVE-2021-26074" not in fact.detail
    assert [(u.name, u.version) for u in scan.frameworks] == [("atlassian-connect-spring-boot", "2.1.4")]


def test_acsb_versions_from_gradle(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "old/build.gradle": "dependencies {\n    implementation 'com.atlassian.connect:atlassian-connect-spring-boot-starter:2.0.1'\n}\n",
            "new/build.gradle.kts": 'val acsbVersion = "3.0.4"\ndependencies {\n    implementation("com.atlassian.connect:atlassian-connect-spring-boot-starter:$acsbVersion")\n}\n',
        },
    )
    scan = scan_code(str(root))
    assert facts(scan) == {("code.acsb-vulnerable", "old/build.gradle:2")}
    assert "CVE-2021-26074" in scan.facts[0].detail
    assert "CVE-2021-26077" in scan.facts[0].detail
    assert sorted(u.version or "" for u in scan.frameworks) == ["2.0.1", "3.0.4"]


def test_unresolved_acsb_version_is_an_r7_gap(tmp_path: Path) -> None:
    scan = scan_code(
        str(write_tree(tmp_path, {"pom.xml": POM.replace("<acsb.version>2.1.4</acsb.version>", "")}))
    )
    assert facts(scan) == set()
    assert [req for req, _ in scan.unreadable] == ["R7"]
    assert "pom.xml:6" in scan.unreadable[0][1]
    assert "not resolved" in scan.unreadable[0][1]
