#!/bin/bash
export CXPM=${SCALE:-/tmp/wt-scale}/rel/4f30514/bin/cxpm
cd ${SCALE:-/tmp/wt-scale}
uptime
for v in base 4f30514; do
  for s in fan2000 fan4000; do n=${s#fan}
    CXPM=${SCALE:-/tmp/wt-scale}/rel/$v/bin/cxpm ./h.sh ${SCALE:-/tmp/wt-scale}/$s/project cold why-$s-$v -- why c-$n
    CXPM=${SCALE:-/tmp/wt-scale}/rel/$v/bin/cxpm ./h.sh ${SCALE:-/tmp/wt-scale}/$s/project daemon why-$s-$v -- why c-$n
    CXPM=${SCALE:-/tmp/wt-scale}/rel/$v/bin/cxpm ./h.sh ${SCALE:-/tmp/wt-scale}/$s/project cold whyjson-$s-$v -- why c-$n --json
  done
done
for mode in cold daemon; do
  ./h.sh ${SCALE:-/tmp/wt-scale}/s1000/lockstr15m $mode outdated-lockstr15m -- outdated
  ./h.sh ${SCALE:-/tmp/wt-scale}/s1000/lock50k $mode outdated-lock50k -- outdated
  ./h.sh ${SCALE:-/tmp/wt-scale}/s1000/lock50k $mode why-lock50k -- why plugin-0500
  ./h.sh ${SCALE:-/tmp/wt-scale}/s1000/lock50k $mode doctor-lock50k -- doctor
  ./h.sh ${SCALE:-/tmp/wt-scale}/s1000/lockstr100m $mode outdated-lockstr100m -- outdated
  ./h.sh ${SCALE:-/tmp/wt-scale} mode madd-mhuge -- marketplace add ${SCALE:-/tmp/wt-scale}/mhuge
  ./h.sh ${SCALE:-/tmp/wt-scale} $mode madd-mdeep -- marketplace add ${SCALE:-/tmp/wt-scale}/mdeep
  ./h.sh ${SCALE:-/tmp/wt-scale}/files50000 $mode validate-files50000 -- validate
  ./h.sh ${SCALE:-/tmp/wt-scale}/files50000 $mode pack-files50000 -- pack -o ${SCALE:-/tmp/wt-scale}/packs/f.tgz
  ./h.sh ${SCALE:-/tmp/wt-scale}/bigskill $mode validate-bigskill -- validate
  ./h.sh ${SCALE:-/tmp/wt-scale}/bigskill $mode pack-bigskill -- pack -o ${SCALE:-/tmp/wt-scale}/packs/b.tgz
  ./h.sh ${SCALE:-/tmp/wt-scale} $mode diff-files50000 -- diff files50000 files50000b
done
uptime
${SCALE:-/tmp/wt-scale}/proj.sh
uptime
