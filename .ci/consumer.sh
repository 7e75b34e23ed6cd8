#!/usr/bin/env bash
# A project outside the reactor, as a user writes one: it imports twinlane's BOM exactly as the
# README's "Maven coordinates" section shows, and compiles and runs the README's tour, extracted
# verbatim from the README, against the artifacts installed in the local repository.
set -euo pipefail
root=${1:?usage: consumer.sh REPO_ROOT}
work=$(mktemp -d)
trap 'rm -rf "${work}"' EXIT
version=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "${root}/bom/pom.xml" | head -n 1)

# the README's BOM import and dependencies, between its markers, verbatim
deps=$(sed -n '/<!-- consumer:begin -->/,/<!-- consumer:end -->/p' "${root}/README.md" | sed '1d;$d')
[ -n "${deps}" ] || { echo "README.md lost its consumer:begin/end markers around the Maven snippet" >&2; exit 1; }
mkdir -p "${work}/src/main/java"
cat > "${work}/pom.xml" <<POM
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>example</groupId>
  <artifactId>twinlane-consumer</artifactId>
  <version>1</version>
  <properties>
    <maven.compiler.release>17</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
${deps}
  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-compiler-plugin</artifactId>
        <version>3.14.0</version>
        <configuration><proc>none</proc></configuration>
      </plugin>
      <plugin>
        <groupId>org.codehaus.mojo</groupId>
        <artifactId>exec-maven-plugin</artifactId>
        <version>3.5.1</version>
        <configuration><mainClass>Tour</mainClass></configuration>
      </plugin>
    </plugins>
  </build>
</project>
POM
sed -i "s:<version>0.1.0-SNAPSHOT</version>:<version>${version}</version>:" "${work}/pom.xml"

# the tour: the first java block after the "A short tour" heading, verbatim
awk '/^## A short tour/{t=1} t && /^```java/{c=1; next} c && /^```/{exit} c{print}' "${root}/README.md" \
  > "${work}/src/main/java/Tour.java"
[ -s "${work}/src/main/java/Tour.java" ] || { echo "README.md has no java block under '## A short tour'" >&2; exit 1; }

cd "${work}"
out=$("${root}/mvnw" -B -q -f "${work}/pom.xml" compile exec:java 2>&1) || { echo "${out}"; echo "the README's tour failed as a consumer project" >&2; exit 1; }
echo "${out}" | tail -n 20
echo "${out}" | grep -q 'drive' || { echo "the tour printed no summary of its drive" >&2; exit 1; }
echo "consumer project: the README's tour compiled and ran against the BOM"

# the same app without the logging binding: twinlane must say once that its warnings would be lost
perl -0pi -e 's{\s*<dependency>\s*(<!--[^>]*-->)?\s*<groupId>org\.slf4j</groupId>\s*<artifactId>slf4j-simple</artifactId>.*?</dependency>}{}s' "${work}/pom.xml"
grep -q slf4j-simple "${work}/pom.xml" && { echo "could not remove the binding from the consumer" >&2; exit 1; }
out=$("${root}/mvnw" -B -q -f "${work}/pom.xml" compile exec:java 2>&1) || { echo "${out}"; exit 1; }
echo "${out}" | grep -q 'no SLF4J binding found' || { echo "${out}"; echo "no hint when no SLF4J binding is bound" >&2; exit 1; }
echo "consumer project without a binding: twinlane's hint was printed"
