_jar() { local c=${CXPM:-$(dirname "$0")/../../cxpm}; if [[ $c == */bin/cxpm ]]; then echo "${c%/bin/cxpm}/cxpm.jar"; else echo "${c%/cxpm}/cli/target/cxpm.jar"; fi; }
dpid() { pgrep -f "Xmx256m.* $(_jar) " | head -1; }
dcpu() { local p=$(dpid); if [[ -n $p ]]; then awk '{print $14+$15}' /proc/$p/stat; else echo 0; fi; }
drss() { local p=$(dpid); if [[ -n $p ]]; then awk '/VmHWM/{print $2}' /proc/$p/status; else echo 0; fi; }
