// Command vcsim runs govmomi's vCenter simulator for Switchyard's tests, built offline from
// Debian's golang-github-vmware-govmomi-dev (which ships the simulator but not the program).
// It prints the SDK URL as its only stdout line and cleans up on SIGTERM/SIGINT.
package main

import (
	"crypto/tls"
	"flag"
	"fmt"
	"log"
	"net/url"
	"os"
	"os/signal"
	"syscall"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on")
	username := flag.String("username", "user", "the only user Login accepts")
	password := flag.String("password", "pass", "that user's password")
	certFile := flag.String("cert", "", "TLS certificate (PEM); required")
	keyFile := flag.String("key", "", "TLS private key (PEM); required")
	esx := flag.Bool("esx", false, "simulate a standalone ESXi host instead of vCenter")
	dc := flag.Int("dc", 1, "datacenters")
	cluster := flag.Int("cluster", 1, "clusters per datacenter")
	host := flag.Int("host", 2, "hosts per cluster")
	vm := flag.Int("vm", 1, "VMs per resource pool")
	template := flag.String("template", "tmpl-linux", "turn the first VM into a powered-off template of this name (empty: none)")
	flag.Parse()
	if *certFile == "" || *keyFile == "" {
		log.Fatal("vcsim: -cert and -key are required (TLS stays on)")
	}

	model := simulator.VPX()
	if *esx {
		model = simulator.ESX()
	} else {
		model.Datacenter, model.Cluster, model.ClusterHost = *dc, *cluster, *host
	}
	model.Machine = *vm
	if err := model.Create(); err != nil {
		log.Fatalf("vcsim: create model: %v", err)
	}
	if *template != "" {
		makeTemplate(*template)
	}

	cert, err := tls.LoadX509KeyPair(*certFile, *keyFile)
	if err != nil {
		log.Fatalf("vcsim: load certificate: %v", err)
	}
	model.Service.RegisterEndpoints = true
	model.Service.Listen = &url.URL{Host: *listen, User: url.UserPassword(*username, *password)}
	model.Service.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	server := model.Service.NewServer()

	u := *server.URL
	u.User = nil // credentials stay out of the output
	fmt.Println(u.String())

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	<-stop
	server.Close()
	model.Remove()
}

// makeTemplate turns the first VM into a template so clone-from-template can be exercised.
func makeTemplate(name string) {
	for _, entity := range simulator.Map.All("VirtualMachine") {
		vm, ok := entity.(*simulator.VirtualMachine)
		if !ok {
			continue
		}
		vm.Runtime.PowerState = types.VirtualMachinePowerStatePoweredOff
		vm.Summary.Runtime.PowerState = types.VirtualMachinePowerStatePoweredOff
		vm.Name = name
		vm.Config.Name = name
		vm.Summary.Config.Name = name
		vm.MarkAsTemplate(&types.MarkAsTemplate{This: vm.Self})
		return
	}
}
